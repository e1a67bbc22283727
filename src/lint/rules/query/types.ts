// types: value types fit (function arguments, aggregations, binary operands, the result).

import { correctness, type QueryRule } from "../../rule";

export const types: QueryRule = {
  id: "types",
  scope: "query",
  ...correctness("error"),
  unsuppressible: true,
  summary:
    "Function arity and argument types (`rate` needs a range vector, `clamp_min` a scalar, ...), aggregation parameters, binary operand types, `bool` only on comparisons, set operators and `on/ignoring` only between vectors, ranges and `offset` only after selectors (Prometheus binds `offset` to the nearest operand); a panel or rule must return an instant vector or scalar.",
  rationale: "Prometheus rejects these queries at evaluation time. Anchor: codemirror-promql Parser.checkAST.",
  cases: {
    bad: [{ expr: "rate(kong_http_requests_total)" }, { expr: "sum(rate(kong_http_requests_total[5m])) offset 5m" }, { expr: "kong_http_requests_total[5m]" }],
    good: [
      { expr: "sum(rate(kong_http_requests_total[5m]))" },
      // awesome-prometheus-alerts rules/kubernetes/kubestate-exporter.yml, KubernetesContainerOomKiller.
      { expr: "(kube_pod_container_status_restarts_total - kube_pod_container_status_restarts_total offset 10m >= 1)" },
    ],
  },
  check(ctx, report) {
    for (const p of ctx.parsed.problems) if (p.kind === "type") report(`${p.message} (column ${ctx.column(p.from)})`);
    const top = ctx.parsed.root.type;
    if (top === "matrix" || top === "string")
      report(`the query returns ${top === "matrix" ? "a range vector" : "a string"}; ${ctx.mode === "rule" ? "rules" : "panels"} need an instant vector or scalar`);
  },
};
