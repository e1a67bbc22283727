// gauge-not-rated: rate()-only functions over a metric known to be a gauge.

import { meaningfulParent } from "../../promql/ast";
import { COUNTER_ONLY_FUNCTIONS } from "../../promql/functions";
import { correctness, type QueryRule } from "../../rule";

export const gaugeNotRated: QueryRule = {
  id: "gauge-not-rated",
  scope: "query",
  ...correctness("error"),
  summary: "No `rate/irate/increase/resets` of a gauge known from the catalogue (e.g. `kong_nginx_connections_total`) or `# TYPE` metadata.",
  rationale: "rate() treats every drop of a gauge as a counter reset: the result is invented. Anchor: pint promql/rate.",
  cases: { bad: [{ expr: "rate(kong_nginx_connections_total[5m])" }], good: [{ expr: "deriv(kong_nginx_connections_total[5m])" }, { expr: "rate(kong_http_requests_total[5m])" }] },
  check(ctx, report) {
    for (const node of ctx.parsed.nodes) {
      if (node.kind !== "selector" || !node.name || ctx.kind(node.name) !== "gauge") continue;
      const parent = meaningfulParent(node);
      if (parent?.kind === "call" && COUNTER_ONLY_FUNCTIONS.has(parent.fn))
        report(`${node.name} is a gauge: ${parent.fn}() of a gauge is meaningless (use deriv()/delta() or the value itself)`);
    }
  },
};
