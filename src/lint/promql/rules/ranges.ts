// rate-interval (dashboards) and rate-range-min (rules): the window of rate-like functions.

import { formatMs } from "../../duration";
import { RATE_FUNCTIONS } from "../functions";
import type { QueryContext } from "../context";

const DASHBOARD_RATES = new Set(["rate", "irate", "increase"]);
/** `$__range` is allowed for deliberate totals over the dashboard's time range. */
const DASHBOARD_WINDOWS = new Set(["$__rate_interval", "$__range"]);

export function rangeRules(ctx: QueryContext): void {
  for (const node of ctx.parsed.nodes) {
    if (node.kind !== "call") continue;
    const arg = node.args[0];
    if (!arg || arg.kind !== "matrix") continue;
    const range = arg.range;
    if (ctx.mode === "dashboard" && DASHBOARD_RATES.has(node.fn) && !(range.variable && DASHBOARD_WINDOWS.has(range.variable))) {
      ctx.report(
        "rate-interval",
        "warning",
        `${node.fn}() over [${range.text}]: use [$__rate_interval] (or [$__range] for a total over the time range) so the window follows the scrape interval and zoom`,
      );
    }
    if (ctx.mode === "rule" && RATE_FUNCTIONS.has(node.fn) && range.ms !== undefined) {
      const min = 2 * ctx.options.scrapeIntervalMs;
      if (range.ms < min)
        ctx.report(
          "rate-range-min",
          "error",
          `${node.fn}() over [${range.text}] is shorter than 2 × the scrape interval (${formatMs(min)}): it will often see fewer than two samples and return nothing`,
        );
    }
  }
}
