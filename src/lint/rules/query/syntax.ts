// syntax: the query parses (lezer-promql, Prometheus's own grammar).

import { correctness, type QueryRule } from "../../rule";

export const syntax: QueryRule = {
  id: "syntax",
  scope: "query",
  ...correctness("error"),
  stage: "input",
  unsuppressible: true,
  summary:
    "The query parses: every lezer error node is reported (an incomplete query as \"unexpected end of input\"), unterminated strings, empty queries, nesting deeper than 1,000 brackets.",
  rationale: "A query that does not parse shows \"No data\" in a panel and never fires as an alert. Anchors: promtool, dashboard-linter target-promql.",
  cases: {
    bad: [{ expr: "sum(rate(kong_http_requests_total[5m])" }, { expr: 'up{job="x}' }, { expr: "" }],
    good: [
      { expr: "sum(rate(kong_http_requests_total[5m]))" },
      // kube-prometheus alertmanager-prometheusRule.yaml, AlertmanagerFailedReload: a comment line first.
      { expr: "# Without max_over_time, failed scrapes could create false negatives, see\n# https://www.robustperception.io/alerting-on-gauges-in-prometheus-2-0 for details.\nmax_over_time(alertmanager_config_last_reload_successful[5m]) == 0" },
    ],
  },
  check(ctx, report) {
    for (const p of ctx.parsed.problems)
      if (p.kind === "parse") report(p.message.replace(/column (\d+)/, (_, c: string) => `column ${ctx.column(Number(c) - 1)}`));
  },
};
