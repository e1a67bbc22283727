// histogram-quantile-phi: the quantile asked of histogram_quantile is in [0, 1].

import { unwrapParens } from "../../promql/ast";
import { correctness, type QueryRule } from "../../rule";

export const histogramQuantilePhi: QueryRule = {
  id: "histogram-quantile-phi",
  scope: "query",
  ...correctness("error"),
  summary: "A literal φ given to `histogram_quantile` is between 0 and 1 (0.99, not 99).",
  rationale: "Prometheus returns +Inf for φ > 1 and -Inf for φ < 0: the panel or alert shows infinity instead of a latency.",
  cases: {
    bad: [{ expr: "histogram_quantile(99, sum by (le) (rate(kong_request_latency_ms_bucket[5m])))" }, { expr: "histogram_quantile(-0.5, sum by (le) (rate(kong_request_latency_ms_bucket[5m])))" }],
    good: [{ expr: "histogram_quantile(0.99, sum by (le) (rate(kong_request_latency_ms_bucket[5m])))" }, { expr: "histogram_quantile(1, sum by (le) (rate(kong_request_latency_ms_bucket[5m])))" }],
  },
  check(ctx, report) {
    for (const node of ctx.parsed.nodes) {
      if (node.kind !== "call" || node.fn !== "histogram_quantile" || !node.args[0]) continue;
      // A literal, possibly signed: `-0.5` parses as a unary minus over a number.
      const phi = unwrapParens(node.args[0]);
      const literal = phi.kind === "unary" ? unwrapParens(phi.expr) : phi;
      if (literal.kind !== "number") continue;
      const value = phi.kind === "unary" && ctx.text(phi).trim().startsWith("-") ? -literal.value : literal.value;
      if (!(value >= 0 && value <= 1)) report(`histogram_quantile φ ${value} is outside [0, 1]: Prometheus returns ${value > 1 ? "+Inf" : "-Inf"}`);
    }
  },
};
