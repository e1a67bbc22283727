// template-on-time-change-reload: query variables follow the time range.

import { str } from "../../dashboard-model";
import { style, type DashboardRule } from "../../rule";

export const templateOnTimeChangeReload: DashboardRule = {
  id: "template-on-time-change-reload",
  scope: "dashboard",
  ...style("warning"),
  summary: "Query variables refresh on time range change (`refresh: 2`).",
  rationale: "Otherwise the value list is from when the dashboard loaded and misses new series. Anchor: dashboard-linter template-on-time-change-reload-rule.",
  cases: {
    bad: [{ dashboard: { templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus" }, { name: "service", type: "query", refresh: 1, datasource: { uid: "${datasource}" } }] } } }],
    good: [{}],
  },
  check(ctx, report) {
    for (const v of ctx.variableDefs)
      if (v.type === "query" && v.refresh !== 2)
        report(`query variable should refresh on time range change (refresh: 2), has ${JSON.stringify(v.refresh ?? null)}`, { path: [`variable ${str(v.name) ?? "?"}`] });
  },
};
