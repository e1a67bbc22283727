// rate-interval: dashboard rate windows follow Grafana's scrape-aware interval.

import { style, type QueryRule } from "../../rule";

const DASHBOARD_RATES = new Set(["rate", "irate", "increase"]);
/** `$__range` is allowed for deliberate totals over the dashboard's time range. */
const DASHBOARD_WINDOWS = new Set(["$__rate_interval", "$__range"]);

export const rateInterval: QueryRule = {
  id: "rate-interval",
  scope: "query",
  ...style("warning"),
  summary: "Dashboards: `rate/irate/increase` windows are `$__rate_interval`, or `$__range` for deliberate totals.",
  rationale: "A fixed window is too short when zoomed out (gaps) and hides spikes when zoomed in. Anchor: dashboard-linter target-rate-interval.",
  cases: {
    bad: [{ expr: "sum(rate(kong_http_requests_total[5m]))", mode: "dashboard" }],
    good: [{ expr: "sum(rate(kong_http_requests_total[$__rate_interval]))", mode: "dashboard" }, { expr: "sum(rate(kong_http_requests_total[5m]))", mode: "rule" }],
  },
  check(ctx, report) {
    if (ctx.mode !== "dashboard") return;
    for (const node of ctx.parsed.nodes) {
      const arg = node.kind === "call" && DASHBOARD_RATES.has(node.fn) ? node.args[0] : undefined;
      if (arg?.kind !== "matrix" || (arg.range.variable && DASHBOARD_WINDOWS.has(arg.range.variable))) continue;
      report(`${node.kind === "call" ? node.fn : ""}() over [${arg.range.text}]: use [$__rate_interval] (or [$__range] for a total over the time range) so the window follows the scrape interval and zoom`);
    }
  },
};
