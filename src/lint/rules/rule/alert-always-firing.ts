// alert-always-firing: an alert expression must filter, or it fires for every series it reads.

import { COMPARISONS, unwrapParens, type Expr } from "../../promql/ast";
import { correctness, type RuleRule } from "../../rule";

/**
 * True when the expression can return fewer series than it reads: a comparison (without
 * bool), absent(), `and`/`unless` (both keep only the left series the right side allows),
 * arithmetic between vectors (only matching series survive) with a filtering side, an `or`
 * whose branches both filter, and anything built on such a filter.
 */
export function filters(expr: Expr): boolean {
  const e = unwrapParens(expr);
  switch (e.kind) {
    case "binary":
      if (COMPARISONS.has(e.op)) return !e.bool || filters(e.lhs) || filters(e.rhs);
      if (e.op === "and" || e.op === "unless") return true;
      if (e.op === "or") return filters(e.lhs) && filters(e.rhs);
      return filters(e.lhs) || filters(e.rhs);
    case "call":
      return e.fn === "absent" || e.fn === "absent_over_time" || e.args.some(filters);
    case "aggregate":
    case "matrix":
    case "subquery":
    case "offset":
    case "at":
    case "unary":
    case "modifier": {
      const inner = e.kind === "aggregate" ? e.args[e.args.length - 1] : e.expr;
      return inner !== undefined && filters(inner);
    }
    default:
      return false;
  }
}

/** True when the expression reads no series at all: a deliberate constant such as `vector(1)`. */
function readsNoSeries(expr: Expr): boolean {
  const e = unwrapParens(expr);
  switch (e.kind) {
    case "selector":
    case "unknown":
      return false;
    case "binary":
      return readsNoSeries(e.lhs) && readsNoSeries(e.rhs);
    case "call":
    case "aggregate":
      return e.args.every(readsNoSeries);
    case "number":
    case "string":
      return true;
    default:
      return readsNoSeries(e.expr);
  }
}

export const alertAlwaysFiring: RuleRule = {
  id: "alert-always-firing",
  scope: "rule",
  ...correctness("error"),
  summary:
    "The expression filters: a comparison without `bool`, `absent()`, `and`/`unless`, arithmetic with a filtering side, or an `or` of two filtering branches; otherwise the alert fires for every series. Constants such as a `vector(1)` heartbeat are deliberate.",
  rationale: "An alert that always fires pages for everything, so people learn to ignore it. Anchor: pint alerts/comparison.",
  cases: {
    bad: [{ rule: { expr: "sum by (service) (rate(kong_http_requests_total[5m]))" } }, { rule: { expr: "kong_nginx_connections_total > bool 100" } }, { rule: { expr: "kong_nginx_connections_total or kong_nginx_connections_total > 5" } }],
    good: [
      {},
      // kube-prometheus kubernetesControlPlane-prometheusRule.yaml, KubeletDown.
      { rule: { expr: 'count by (cluster) (kube_node_info{job="kube-state-metrics"})\nunless on (cluster)\ncount by (cluster) (up{job="kubelet", metrics_path="/metrics"} == 1)' } },
      // kube-prometheus alertmanager-prometheusRule.yaml, AlertmanagerFailedReload: comment lines first.
      { rule: { expr: '# Without max_over_time, failed scrapes could create false negatives, see\n# https://www.robustperception.io/alerting-on-gauges-in-prometheus-2-0 for details.\nmax_over_time(alertmanager_config_last_reload_successful{job="alertmanager-main"}[5m]) == 0' } },
      // kube-prometheus kubernetesControlPlane-prometheusRule.yaml, KubeCPUOvercommit (shortened): comments inside, an `or` of two filters.
      {
        rule: {
          expr: '# Non-HA clusters.\n(\n  (sum by(cluster) (namespace_cpu:kube_pod_container_resource_requests:sum{}) - sum by(cluster) (kube_node_status_allocatable{resource="cpu"}) > 0)\n  and\n  count by (cluster) (max by (cluster, node) (kube_node_role{role="control-plane"})) < 3\n)\nor\n# HA clusters.\n(\n  sum by(cluster) (namespace_cpu:kube_pod_container_resource_requests:sum{})\n  -\n  (\n    # Skip clusters with only one allocatable node.\n    (sum by (cluster) (kube_node_status_allocatable{resource="cpu"}) - max by (cluster) (kube_node_status_allocatable{resource="cpu"})) > 0\n  ) > 0\n)',
        },
      },
      // kube-prometheus kubePrometheus-prometheusRule.yaml, Watchdog: meant to always fire.
      { rule: { expr: "vector(1)", labels: { severity: "none" } } },
      // awesome-prometheus-alerts rules/kubernetes/kubestate-exporter.yml, KubernetesStatefulsetUpdateNotRolledOut.
      { rule: { expr: "max without (revision) (kube_statefulset_status_current_revision unless kube_statefulset_status_update_revision) * (kube_statefulset_replicas != kube_statefulset_status_replicas_updated)" } },
    ],
  },
  check(ctx, report) {
    if (ctx.alert === undefined || !ctx.root || readsNoSeries(ctx.root) || filters(ctx.root)) return;
    report("the expression has no comparison (and no absent()): it returns a value for every series, so the alert always fires");
  },
};
