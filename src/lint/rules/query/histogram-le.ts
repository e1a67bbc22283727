// histogram-le: histogram_quantile over classic buckets needs `le` to survive aggregation.

import { unwrapParens } from "../../promql/ast";
import { correctness, type QueryRule } from "../../rule";

export const histogramLe: QueryRule = {
  id: "histogram-le",
  scope: "query",
  ...correctness("error"),
  summary: "`histogram_quantile` over `_bucket` series keeps `le` in its aggregation (`by (le, ...)`, or `without` not listing `le`).",
  rationale: "Without `le` there are no buckets left and the quantile is NaN.",
  cases: {
    bad: [{ expr: "histogram_quantile(0.99, sum by (service) (rate(kong_request_latency_ms_bucket[5m])))" }],
    good: [{ expr: "histogram_quantile(0.99, sum by (le, service) (rate(kong_request_latency_ms_bucket[5m])))" }],
  },
  check(ctx, report) {
    for (const node of ctx.parsed.nodes) {
      if (node.kind !== "call" || node.fn !== "histogram_quantile") continue;
      const input = node.args[1] && unwrapParens(node.args[1]);
      if (!input || input.kind !== "aggregate") continue;
      const overBuckets = ctx.parsed.nodes.some((n) => n.kind === "selector" && n.name?.endsWith("_bucket") && n.from >= input.from && n.to <= input.to);
      if (!overBuckets) continue;
      const g = input.grouping;
      const keepsLe = g ? (g.without ? !g.labels.includes("le") : g.labels.includes("le")) : false;
      if (!keepsLe)
        report(
          `histogram_quantile() over ${input.op}${g ? ` ${g.without ? "without" : "by"} (${g.labels.join(", ")})` : ""}: the aggregation drops \`le\`, so there are no buckets left; use ${input.op} by (le, ...)`,
        );
    }
  },
};
