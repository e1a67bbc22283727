// dashboard-title: a dashboard has a title.

import { str } from "../../dashboard-model";
import { correctness, type DashboardRule } from "../../rule";

export const dashboardTitle: DashboardRule = {
  id: "dashboard-title",
  scope: "dashboard",
  ...correctness("error"),
  summary: "The dashboard has a non-empty title.",
  rationale: "Grafana refuses to save a dashboard without a title.",
  cases: { bad: [{ dashboard: { title: " " } }], good: [{}] },
  check(ctx, report) {
    if (!str(ctx.dashboard.title)?.trim()) report("dashboard has no title");
  },
};
