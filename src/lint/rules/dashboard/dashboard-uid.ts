// dashboard-uid: a stable, valid uid.

import { UID_PATTERN } from "../../../model/dashboard";
import { style, type DashboardRule } from "../../rule";

export const dashboardUid: DashboardRule = {
  id: "dashboard-uid",
  scope: "dashboard",
  ...style("error"),
  summary: "uid present, at most 40 characters of `[a-zA-Z0-9-_]`.",
  rationale: "Without a fixed uid every import makes a new dashboard and breaks links and alert `dashboard_url`s. Anchor: mixtool; Grafana's uid validation.",
  cases: { bad: [{ dashboard: { uid: "has spaces" } }, { dashboard: { uid: "x".repeat(41) } }, { dashboard: { uid: undefined } }], good: [{ dashboard: { uid: "x".repeat(40) } }] },
  check(ctx, report) {
    if (!ctx.uid) report("dashboard has no uid: links and provisioning need a stable one");
    else if (!UID_PATTERN.test(ctx.uid)) report(`uid ${JSON.stringify(ctx.uid)} must be at most 40 characters of [a-zA-Z0-9-_]`);
  },
};
