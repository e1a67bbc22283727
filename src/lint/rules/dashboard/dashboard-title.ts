// dashboard-title: a dashboard has a title Grafana can store.

import { str } from "../../dashboard-model";
import { correctness, type DashboardRule } from "../../rule";

/** Grafana keeps a dashboard title in a 189-character column (its migration "Update dashboard title length"). */
export const MAX_DASHBOARD_TITLE = 189;

export const dashboardTitle: DashboardRule = {
  id: "dashboard-title",
  scope: "dashboard",
  ...correctness("error"),
  summary: `The dashboard has a non-empty title of at most ${MAX_DASHBOARD_TITLE} characters.`,
  rationale: `Grafana refuses to save a dashboard without a title, and stores at most ${MAX_DASHBOARD_TITLE} characters of one.`,
  cases: { bad: [{ dashboard: { title: " " } }, { dashboard: { title: "T".repeat(MAX_DASHBOARD_TITLE + 1) } }], good: [{}, { dashboard: { title: "T".repeat(MAX_DASHBOARD_TITLE) } }] },
  check(ctx, report) {
    const title = str(ctx.dashboard.title);
    if (!title?.trim()) report("dashboard has no title");
    else if (title.length > MAX_DASHBOARD_TITLE) report(`dashboard title has ${title.length} characters, Grafana stores at most ${MAX_DASHBOARD_TITLE}`);
  },
};
