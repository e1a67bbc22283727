// regex-valid: =~ / !~ values are regexes RE2 (Prometheus) accepts.

import { regexMatchers, regexProblem } from "../../promql/regex";
import { correctness, type QueryRule } from "../../rule";

export const regexValid: QueryRule = {
  id: "regex-valid",
  scope: "query",
  ...correctness("error"),
  summary:
    "`=~`/`!~` values compile: RE2-unsupported constructs (lookaround, backreferences, atomic groups, possessive quantifiers) are flagged, then the regex is compiled (RE2-only syntax translated). Values with a Grafana variable are skipped.",
  rationale: "Prometheus refuses the whole query when one matcher's regex does not compile. Anchor: Go parser newLabelMatcher.",
  cases: { bad: [{ expr: 'kong_http_requests_total{code=~"5(?!00).."}' }, { expr: 'up{job=~"("}' }], good: [{ expr: 'kong_http_requests_total{code=~"5.."}' }] },
  check(ctx, report) {
    for (const m of regexMatchers(ctx.parsed.nodes)) {
      const problem = regexProblem(m.value);
      if (problem) report(`${m.label}${m.op}${JSON.stringify(m.value)}: invalid regex: ${problem}`);
    }
  },
};
