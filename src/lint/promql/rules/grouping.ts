// impossible (grouping or matching on labels already aggregated away) and nan-in-agg.

import { unwrapParens } from "../ast";
import type { QueryContext } from "../context";

export function groupingRules(ctx: QueryContext): void {
  for (const node of ctx.parsed.nodes) {
    if (node.kind === "aggregate") {
      const input = node.args[node.args.length - 1];
      const available = input?.labels;
      if (available && node.grouping && !node.grouping.without) {
        const missing = node.grouping.labels.filter((l) => !available.has(l));
        if (missing.length)
          ctx.report(
            "impossible",
            "error",
            `${node.op} by (${node.grouping.labels.join(", ")}): ${missing.join(", ")} cannot exist here (input has only ${[...available].join(", ") || "no labels"})`,
          );
      }
      const inner = input && unwrapParens(input);
      if ((node.op === "sum" || node.op === "avg") && inner?.kind === "binary" && inner.op === "/")
        ctx.report(
          "nan-in-agg",
          "warning",
          `${node.op}() of a division: one series with 0/0 makes the whole ${node.op} NaN; aggregate numerator and denominator first, then divide`,
        );
    } else if (node.kind === "binary" && node.matching?.on) {
      for (const side of [node.lhs, node.rhs]) {
        const available = side.labels;
        if (!available || side.type !== "vector") continue;
        const missing = node.matching.labels.filter((l) => !available.has(l));
        if (missing.length)
          ctx.report("impossible", "error", `on (${node.matching.labels.join(", ")}): ${missing.join(", ")} does not exist on ${ctx.text(side)}`);
      }
    }
  }
}
