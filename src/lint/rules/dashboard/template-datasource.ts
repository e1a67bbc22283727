// template-datasource: a datasource variable exists.

import { style, type DashboardRule } from "../../rule";

export const templateDatasource: DashboardRule = {
  id: "template-datasource",
  scope: "dashboard",
  ...style("error"),
  summary: "A templating variable of type `datasource` exists.",
  rationale: "A dashboard bound to one datasource uid breaks on every other Grafana. Anchor: dashboard-linter template-datasource-rule.",
  cases: { bad: [{ dashboard: { templating: { list: [] } } }], good: [{}] },
  check(ctx, report) {
    if (ctx.dsVariables.size === 0)
      report("no datasource variable: add a templating variable of type datasource (query: prometheus) so the dashboard works on any Prometheus");
  },
};
