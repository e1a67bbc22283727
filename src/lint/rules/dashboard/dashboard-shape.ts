// dashboard-shape: the file holds a dashboard object.

import { correctness, type DashboardRule } from "../../rule";

export const dashboardShape: DashboardRule = {
  id: "dashboard-shape",
  scope: "dashboard",
  ...correctness("error"),
  stage: "input",
  summary: "The file holds a dashboard object (optionally wrapped as `{dashboard, meta}`).",
  rationale: "Anything else cannot be imported into Grafana.",
  cases: { bad: [{ dashboard: { panels: "none" } }], good: [{}] },
  check(ctx, report) {
    if (!ctx.isDashboard) report("not a dashboard: expected a JSON object");
    else if (ctx.dashboard.panels !== undefined && !Array.isArray(ctx.dashboard.panels)) report("panels must be a list");
  },
};
