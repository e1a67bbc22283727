// panel-variables: queries use only variables the dashboard defines (or Grafana's own).

import { NON_QUERY_PANELS, queryTargets } from "../../dashboard-model";
import { correctness, type DashboardRule } from "../../rule";

/** Variables Grafana defines on every dashboard. */
const BUILTIN_VARIABLES = new Set([
  "__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms", "__auto", "__dashboard", "__from", "__to", "__timeFilter", "__org", "__user", "__name", "timeFilter",
]);

/** `$name`, `${name}`, `${name:format}` and `[[name]]` references in a query. */
function referencedVariables(expr: string): string[] {
  return [...expr.matchAll(/\$\{([A-Za-z_]\w*)(?:[:.][^}]*)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)(?::[^\]]*)?\]\]/g)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

export const panelVariables: DashboardRule = {
  id: "panel-variables",
  scope: "dashboard",
  ...correctness("error"),
  summary: "Every `$name`, `${name}` or `[[name]]` in a query is a templating variable of the dashboard or one of Grafana's built-ins (`$__rate_interval`, `$__range`, ...).",
  rationale: "Grafana sends an undefined variable as the literal text `$name`: the query fails or matches nothing.",
  cases: {
    bad: [{ panel: { targets: [{ refId: "A", expr: 'sum(rate(kong_http_requests_total{service=~"$route"}[$__rate_interval]))' }] } }],
    good: [{ panel: { targets: [{ refId: "A", expr: 'sum(rate(kong_http_requests_total{service=~"$service"}[$__rate_interval]))' }] } }],
  },
  check(ctx, report) {
    const defined = new Set(ctx.variableDefs.map((v) => v.name));
    for (const info of ctx.panels) {
      if (NON_QUERY_PANELS.has(info.type)) continue;
      for (const t of queryTargets(info))
        for (const name of new Set(referencedVariables(t.expr ?? "")))
          if (!defined.has(name) && !BUILTIN_VARIABLES.has(name)) report(`query uses $${name}, which the dashboard does not define`, { panel: info, path: [t.refId] });
    }
  },
};
