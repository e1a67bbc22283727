// histogram-le: histogram_quantile over classic buckets needs `le` to survive aggregation.

import { unwrapParens } from "../ast";
import type { QueryContext } from "../context";

export function histogramRules(ctx: QueryContext): void {
  for (const node of ctx.parsed.nodes) {
    if (node.kind !== "call" || node.fn !== "histogram_quantile") continue;
    const input = node.args[1] && unwrapParens(node.args[1]);
    if (!input || input.kind !== "aggregate") continue;
    const overBuckets = ctx.parsed.nodes.some(
      (n) => n.kind === "selector" && n.name?.endsWith("_bucket") && n.from >= input.from && n.to <= input.to,
    );
    if (!overBuckets) continue;
    const g = input.grouping;
    const keepsLe = g ? (g.without ? !g.labels.includes("le") : g.labels.includes("le")) : false;
    if (!keepsLe)
      ctx.report(
        "histogram-le",
        "error",
        `histogram_quantile() over ${input.op}${g ? ` ${g.without ? "without" : "by"} (${g.labels.join(", ")})` : ""}: the aggregation drops \`le\`, so there are no buckets left; use ${input.op} by (le, ...)`,
      );
  }
}
