// rate-range-min: rule windows hold at least two scrapes.

import { formatMs } from "../../duration";
import { RATE_FUNCTIONS } from "../../promql/functions";
import type { QueryRule } from "../../rule";

export const rateRangeMin: QueryRule = {
  id: "rate-range-min",
  scope: "query",
  class: "correctness",
  // The scrape interval of someone else's Prometheus is a guess: a warning there.
  severity: { own: "error", foreign: "warning", strict: "error" },
  summary:
    "Rules: windows of `rate/irate/increase/delta/idelta/deriv/resets/changes` are at least 2 × the scrape interval (default 30 s; `scrapeInterval` in lint.config.yaml or `--scrape-interval`).",
  rationale: "With fewer than two samples in the window these functions return nothing, so the alert silently never fires. Anchor: pint promql/rate.",
  cases: { bad: [{ expr: "rate(kong_http_requests_total[45s]) > 1" }], good: [{ expr: "rate(kong_http_requests_total[1m]) > 1" }] },
  check(ctx, report) {
    if (ctx.mode !== "rule") return;
    const min = 2 * ctx.options.scrapeIntervalMs;
    for (const node of ctx.parsed.nodes) {
      const arg = node.kind === "call" && RATE_FUNCTIONS.has(node.fn) ? node.args[0] : undefined;
      if (arg?.kind !== "matrix" || arg.range.ms === undefined || arg.range.ms >= min) continue;
      report(
        `${node.kind === "call" ? node.fn : ""}() over [${arg.range.text}] is shorter than 2 × the scrape interval (${formatMs(min)}): it will often see fewer than two samples and return nothing`,
      );
    }
  },
};
