// Lints one dashboard: every dashboard rule of the registry, then the query rules on every
// PromQL target. Never throws: a failing check becomes an `internal` finding.

import type { FindingScope, LintFinding } from "../model/finding";
import { dashboardContext, NON_QUERY_PANELS, queryTargets, type DashboardContext } from "./dashboard-model";
import { lintQuery } from "./promql/lint";
import type { LintOptions, Profile } from "./rule";
import { place, rulesOf, runCheck, type RawFinding } from "./run";

export { collectPanels, dashboardVariables } from "./dashboard-model";

export interface DashboardLintInput {
  readonly file: string;
  readonly profile: Profile;
}

export function lintDashboard(input: unknown, where: DashboardLintInput, options: LintOptions): LintFinding[] {
  const findings: LintFinding[] = [];
  let ctx: DashboardContext | undefined;
  runCheck((rule, message) => findings.push(place({ rule, message }, where.file, [], where.profile)), undefined, () => {
    ctx = dashboardContext(input);
  });
  if (!ctx) return findings;
  const c = ctx;
  const at = (raw: RawFinding, location: readonly string[], scope: FindingScope) => findings.push(place(raw, where.file, [c.title, ...location], where.profile, scope));

  for (const rule of rulesOf(options.rules, "dashboard", where.profile)) {
    if (!c.isDashboard && rule.stage !== "input") continue;
    runCheck((r, message) => at({ rule: r, message }, [], c.scope), rule, () =>
      rule.check(c, (message, target) => {
        const panel = target?.panel;
        at({ rule, message }, [...(panel ? [panel.name] : []), ...(target?.path ?? [])], panel?.scope ?? c.scope);
      }),
    );
  }

  for (const info of c.panels) {
    if (NON_QUERY_PANELS.has(info.type)) continue;
    for (const t of queryTargets(info)) {
      if (!t.prometheus || t.expr === undefined || !t.expr.trim() || t.target.hide === true) continue;
      const result = lintQuery(t.expr, { mode: "dashboard", profile: where.profile, variables: c.variables }, options);
      for (const raw of result.findings) at(raw, [info.name, t.refId], info.scope);
    }
  }
  return findings;
}
