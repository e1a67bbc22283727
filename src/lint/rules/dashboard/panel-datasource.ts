// panel-datasource: panels, targets and query variables use the datasource variable.

import { datasourceVariable, NON_QUERY_PANELS, queryTargets, str } from "../../dashboard-model";
import { isObject } from "../../types";
import { style, type DashboardRule } from "../../rule";

export const panelDatasource: DashboardRule = {
  id: "panel-datasource",
  scope: "dashboard",
  ...style("error"),
  summary:
    "Every query panel, target and query variable uses the datasource variable (string `$ds` or object `{uid: \"${ds}\"}`; `-- Mixed --` panels are checked per target).",
  rationale: "One panel pinned to a datasource uid shows another cluster's data, or nothing, after a switch. Anchor: dashboard-linter panel-datasource-rule.",
  cases: {
    bad: [{ panel: { datasource: "Prometheus" } }, { panel: { targets: [{ refId: "A", datasource: { uid: "abc123" }, expr: "up" }] } }],
    good: [{ panel: { datasource: "$datasource" } }, {}],
  },
  check(ctx, report) {
    const ds = ctx.dsVariables;
    if (ds.size === 0) return;
    const usesVariable = (ref: unknown) => ds.has(datasourceVariable(ref) ?? "");
    for (const v of ctx.variableDefs)
      if (v.type === "query" && v.datasource !== undefined && !usesVariable(v.datasource)) report("query variable does not use the datasource variable", { path: [`variable ${str(v.name) ?? "?"}`] });
    for (const info of ctx.panels) {
      if (NON_QUERY_PANELS.has(info.type)) continue;
      const panelDs = info.panel.datasource;
      const mixed = isObject(panelDs) ? panelDs.uid === "-- Mixed --" : panelDs === "-- Mixed --";
      if (!mixed && !usesVariable(panelDs)) report(`panel datasource ${JSON.stringify(panelDs ?? null)} is not the datasource variable ($${[...ds][0]})`, { panel: info });
      for (const t of queryTargets(info))
        if (t.target.datasource !== undefined && t.target.datasource !== null && !usesVariable(t.target.datasource))
          report(`target datasource ${JSON.stringify(t.target.datasource)} is not the datasource variable`, { panel: info, path: [t.refId] });
    }
  },
};
