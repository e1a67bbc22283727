// regexp-hygiene: regex matchers that say more, or less, than their author meant.

import type { Matcher } from "../../promql/ast";
import { regexMatchers, regexProblem } from "../../promql/regex";
import { style, type QueryRule } from "../../rule";

const META = /[.*+?()[\]{}|\\^$]/;

function hygiene(m: Matcher): string | undefined {
  if (m.value === ".*" || m.value === "^.*$")
    return m.op === "=~"
      ? `${m.label}=~"${m.value}" matches everything (and series without the label): drop the matcher`
      : `${m.label}!~"${m.value}" matches nothing that has the label: use ${m.label}=""`;
  if (m.value.startsWith("^") || (m.value.endsWith("$") && !m.value.endsWith("\\$")))
    return `${m.label}${m.op}"${m.value}": Prometheus anchors label regexes already, the ^/$ are redundant`;
  if (!META.test(m.value)) return `${m.label}${m.op}"${m.value}" is a plain string: use ${m.label}${m.op === "=~" ? "=" : "!="}"${m.value}"`;
  return undefined;
}

export const regexpHygiene: QueryRule = {
  id: "regexp-hygiene",
  scope: "query",
  ...style("warning"),
  summary: '`=~"foo"` that is a plain string (use `=`), redundant `^`/`$` anchors, `=~".*"` (matches everything) and `!~".*"`.',
  rationale: "Harmless to Prometheus but misleading to a reader. Anchor: pint promql/regexp.",
  cases: { bad: [{ expr: 'kong_http_requests_total{service=~"billing"}' }, { expr: 'kong_http_requests_total{code=~"^5..$"}' }], good: [{ expr: 'kong_http_requests_total{code=~"5.."}' }] },
  check(ctx, report) {
    for (const m of regexMatchers(ctx.parsed.nodes)) {
      const h = regexProblem(m.value) === undefined ? hygiene(m) : undefined;
      if (h) report(h);
    }
  },
};
