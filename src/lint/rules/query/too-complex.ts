// too-complex: nesting past the tree builder's limit, or a query too long for the parser's verdict
// to be trusted; the query is not analysed, and the finding says so.

import { LEZER_EXACT_LENGTH, MAX_DEPTH } from "../../promql/parse";
import { correctness, type QueryRule } from "../../rule";

export const tooComplex: QueryRule = {
  id: "too-complex",
  scope: "query",
  ...correctness("warning"),
  stage: "parsed",
  summary: `Nesting past ${MAX_DEPTH} levels, or a query past ${LEZER_EXACT_LENGTH} characters whose only syntax errors lie beyond that (lezer's left-associative reduction limit): the query is not analysed.`,
  rationale: "Says plainly that the other rules did not look at this query, rather than passing it in silence.",
  cases: {
    bad: [{ expr: `${"(".repeat(MAX_DEPTH + 5)}up${")".repeat(MAX_DEPTH + 5)}` }, { expr: Array(600).fill("up").join(" + ") }],
    good: [{ expr: "((up))" }, { expr: Array(390).fill("up").join(" + ") }],
  },
  check(ctx, report) {
    if (ctx.parsed.tooLong) report(`${ctx.parsed.tooLong}: not analysed; check it with promtool`);
    else if (ctx.parsed.truncated) report(`nesting deeper than ${MAX_DEPTH} levels: semantic checks skipped`);
  },
};
