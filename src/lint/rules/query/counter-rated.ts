// counter-rated: a counter is read through rate()-like functions, not as a raw value. Decided by
// metric name (catalogue, `# TYPE` metadata, `_total`/`_bucket`), not by the selector text
// (dashboard-linter's target-counter-agg misses `foo_total{job="x"}`).

import type { Expr, SelectorNode } from "../../promql/ast";
import { COUNTER_SAFE_AGGREGATIONS, COUNTER_SAFE_FUNCTIONS } from "../../promql/functions";
import type { QueryRule } from "../../rule";

function counterSafe(selector: SelectorNode): boolean {
  for (let p: Expr | undefined = selector.parent; p; p = p.parent) {
    if (p.kind === "call" && COUNTER_SAFE_FUNCTIONS.has(p.fn)) return true;
    if (p.kind === "aggregate" && COUNTER_SAFE_AGGREGATIONS.has(p.op)) return true;
  }
  return false;
}

export const counterRated: QueryRule = {
  id: "counter-rated",
  scope: "query",
  class: "correctness",
  // On others' files a raw counter may be deliberate (a restart delta, a "data exists" guard).
  severity: { own: "error", foreign: "warning", strict: "error" },
  summary:
    "A counter (catalogue counter, histogram series, a metric `# TYPE` metadata calls a counter, or a name ending `_total`/`_bucket`) sits inside `rate/irate/increase/resets/changes/...` or `count/group/count_values/absent`. A `_count` or `_sum` suffix alone proves nothing.",
  rationale: "A raw counter only grows and resets on restart: its value means nothing on a graph or in a threshold. Anchors: dashboard-linter target-counter-agg, pint promql/counter.",
  cases: {
    bad: [{ expr: "kong_http_requests_total > 100" }, { expr: "sum by (service) (kong_http_requests_total)" }],
    good: [
      { expr: "sum by (service) (rate(kong_http_requests_total[5m]))" },
      // kube-prometheus kubernetesControlPlane-prometheusRule.yaml, KubeClientCertificateExpiration: a guard that data exists.
      { expr: "apiserver_client_certificate_expiration_seconds_count > 0" },
      // istio manifests/addons/dashboards/ztunnel-dashboard.gen.json: a gauge named *_count.
      { expr: "sum(workload_manager_active_proxy_count)", mode: "dashboard" },
    ],
  },
  check(ctx, report) {
    for (const node of ctx.parsed.nodes)
      if (node.kind === "selector" && node.name && ctx.kind(node.name) === "counter" && !counterSafe(node))
        report(`${node.name} is a counter: use it inside rate()/increase()/irate() (or count/group/absent), not as a raw value`);
  },
};
