// too-complex: nesting past the tree builder's limit; the query parses but is not analysed.

import { MAX_DEPTH } from "../../promql/parse";
import { correctness, type QueryRule } from "../../rule";

export const tooComplex: QueryRule = {
  id: "too-complex",
  scope: "query",
  ...correctness("warning"),
  stage: "parsed",
  summary: `Nesting past ${MAX_DEPTH} levels: the query parses but semantic checks are skipped.`,
  rationale: "Says plainly that the other rules did not look at this query, rather than passing it in silence.",
  cases: { bad: [{ expr: `${"(".repeat(MAX_DEPTH + 5)}up${")".repeat(MAX_DEPTH + 5)}` }], good: [{ expr: "((up))" }] },
  check(ctx, report) {
    if (ctx.parsed.truncated) report(`nesting deeper than ${MAX_DEPTH} levels: semantic checks skipped`);
  },
};
