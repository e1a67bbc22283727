// counter-rated and gauge-not-rated: decided by metric name and the catalogue, not by the
// selector text (dashboard-linter's target-counter-agg misses `foo_total{job="x"}`).

import { meaningfulParent, type Expr, type SelectorNode } from "../ast";
import { COUNTER_ONLY_FUNCTIONS, COUNTER_SAFE_AGGREGATIONS, COUNTER_SAFE_FUNCTIONS } from "../functions";
import type { QueryContext } from "../context";

function counterSafe(selector: SelectorNode): boolean {
  for (let p: Expr | undefined = selector.parent; p; p = p.parent) {
    if (p.kind === "call" && COUNTER_SAFE_FUNCTIONS.has(p.fn)) return true;
    if (p.kind === "aggregate" && COUNTER_SAFE_AGGREGATIONS.has(p.op)) return true;
  }
  return false;
}

export function counterRules(ctx: QueryContext): void {
  for (const node of ctx.parsed.nodes) {
    if (node.kind !== "selector" || !node.name) continue;
    const kind = ctx.catalogue.kind(node.name);
    if (kind === "counter" && !counterSafe(node)) {
      ctx.report(
        "counter-rated",
        "error",
        `${node.name} is a counter: use it inside rate()/increase()/irate() (or count/group/absent), not as a raw value`,
      );
    } else if (kind === "gauge") {
      const parent = meaningfulParent(node);
      if (parent?.kind === "call" && COUNTER_ONLY_FUNCTIONS.has(parent.fn))
        ctx.report(
          "gauge-not-rated",
          "error",
          `${node.name} is a gauge: ${parent.fn}() of a gauge is meaningless (use deriv()/delta() or the value itself)`,
        );
    }
  }
}
