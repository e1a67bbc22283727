// panel-no-targets: query panels have queries, PromQL targets have an expression.

import { list, NON_QUERY_PANELS, queryTargets } from "../../dashboard-model";
import { correctness, type DashboardRule } from "../../rule";

export const panelNoTargets: DashboardRule = {
  id: "panel-no-targets",
  scope: "dashboard",
  ...correctness("error"),
  summary: "Query panels have targets; Prometheus targets have a non-empty string `expr`.",
  rationale: "A panel without a query shows \"No data\", which reads as \"nothing is wrong\". Anchor: dashboard-linter panel-no-targets-rule.",
  cases: { bad: [{ panel: { targets: [] } }, { panel: { targets: [{ refId: "A", expr: " " }] } }, { panel: { targets: [{ refId: "A", expr: 5 }] } }], good: [{}] },
  check(ctx, report) {
    for (const info of ctx.panels) {
      if (NON_QUERY_PANELS.has(info.type)) continue;
      if (list(info.panel.targets).length === 0) {
        report("panel has no queries", { panel: info });
        continue;
      }
      for (const t of queryTargets(info)) {
        if (!t.prometheus) continue;
        if (t.target.expr !== undefined && typeof t.target.expr !== "string") report(`expr must be a string, got ${typeof t.target.expr}`, { panel: info, path: [t.refId] });
        else if (!t.expr?.trim()) report("target has no expr", { panel: info, path: [t.refId] });
      }
    }
  },
};
