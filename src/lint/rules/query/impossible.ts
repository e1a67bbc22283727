// impossible: grouping or matching on labels the input cannot have.

import { correctness, type QueryRule } from "../../rule";

export const impossible: QueryRule = {
  id: "impossible",
  scope: "query",
  ...correctness("error"),
  summary:
    "Grouping (`by`) or matching (`on`) on labels the input cannot have, because an inner aggregation dropped them or (own files) the catalogue metric lacks them. Metrics outside the catalogue have unknown labels, never none.",
  rationale: "The result is one series without the label, or nothing: the query silently answers another question. Anchor: pint promql/impossible.",
  cases: {
    bad: [{ expr: "sum by (service) (sum by (route) (rate(kong_http_requests_total[5m])))" }, { expr: "sum(rate(kong_http_requests_total[5m])) / on (service) sum(kong_nginx_connections_total)" }],
    good: [
      { expr: "sum by (service) (sum by (service, route) (rate(kong_http_requests_total[5m])))" },
      // awesome-prometheus-alerts rules/kubernetes/kubestate-exporter.yml, KubernetesHpaUnderutilized: labels come from the range argument.
      { expr: "max(quantile_over_time(0.5, kube_horizontalpodautoscaler_status_desired_replicas[1d]) == kube_horizontalpodautoscaler_spec_min_replicas) by (horizontalpodautoscaler) > 3" },
    ],
  },
  check(ctx, report) {
    for (const node of ctx.parsed.nodes) {
      if (node.kind === "aggregate") {
        const available = node.args[node.args.length - 1]?.labels;
        if (!available || !node.grouping || node.grouping.without) continue;
        const missing = node.grouping.labels.filter((l) => !available.has(l));
        if (missing.length)
          report(`${node.op} by (${node.grouping.labels.join(", ")}): ${missing.join(", ")} cannot exist here (input has only ${[...available].join(", ") || "no labels"})`);
      } else if (node.kind === "binary" && node.matching?.on) {
        for (const side of [node.lhs, node.rhs]) {
          const available = side.labels;
          if (!available || side.type !== "vector") continue;
          const missing = node.matching.labels.filter((l) => !available.has(l));
          if (missing.length) report(`on (${node.matching.labels.join(", ")}): ${missing.join(", ")} does not exist on ${ctx.text(side)}`);
        }
      }
    }
  },
};
