// nan-in-agg: sum/avg directly over a division.

import { unwrapParens } from "../../promql/ast";
import { correctness, type QueryRule } from "../../rule";

export const nanInAgg: QueryRule = {
  id: "nan-in-agg",
  scope: "query",
  ...correctness("warning"),
  summary: "`sum`/`avg` directly over a division: one 0/0 series turns the whole aggregate into NaN.",
  rationale: "NaN compares false with every threshold, so the alert stays silent. Anchor: pint promql/nan.",
  cases: {
    bad: [{ expr: "sum(rate(kong_http_requests_total[5m]) / rate(kong_http_requests_total[5m]))" }],
    good: [{ expr: "sum(rate(kong_http_requests_total[5m])) / sum(rate(kong_http_requests_total[5m]))" }],
  },
  check(ctx, report) {
    for (const node of ctx.parsed.nodes) {
      if (node.kind !== "aggregate" || (node.op !== "sum" && node.op !== "avg")) continue;
      const input = node.args[node.args.length - 1];
      const inner = input && unwrapParens(input);
      if (inner?.kind === "binary" && inner.op === "/")
        report(`${node.op}() of a division: one series with 0/0 makes the whole ${node.op} NaN; aggregate numerator and denominator first, then divide`);
    }
  },
};
