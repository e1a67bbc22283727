// cluster-label-kept: in cluster mode, no aggregation, grouping or vector match may lose the cluster label.

import { correctness, type QueryRule } from "../../rule";
import type { Expr } from "../../promql/ast";

/** Aggregations whose result keeps every input label: nothing to group. */
const LABEL_KEEPING = new Set(["topk", "bottomk", "limitk", "limit_ratio"]);
/** Functions whose answer has no labels at all. */
const LABEL_FREE = new Set(["absent", "absent_over_time", "vector", "scalar", "time"]);

/** Why `node` loses the label, or undefined when it keeps it. */
function dropped(node: Expr, label: string): string | undefined {
  if (node.kind === "aggregate" && !LABEL_KEEPING.has(node.op)) {
    const g = node.grouping;
    if (!g) return `${node.op}() without \`by (${label})\` sums every cluster into one series`;
    if (g.without && g.labels.includes(label)) return `${node.op} without (${label}) merges the clusters`;
    if (!g.without && !g.labels.includes(label)) return `${node.op} by (${g.labels.join(", ")}) drops ${label}: add it to by`;
  }
  if (node.kind === "binary" && node.matching) {
    const m = node.matching;
    if (m.on && !m.labels.includes(label)) return `${node.op} on (${m.labels.join(", ")}) matches series of different clusters: add ${label}`;
    if (!m.on && m.labels.includes(label)) return `${node.op} ignoring (${label}) matches series of different clusters`;
  }
  if (node.kind === "call" && LABEL_FREE.has(node.fn) && node.type === "vector")
    return `${node.fn}() answers without ${label}: ${node.fn.startsWith("absent") ? `use group by (${label}) (up) unless group by (${label}) (metric)` : `use a per-cluster fallback such as 0 * group by (${label}) (up)`}`;
  return undefined;
}

/** Arguments that `label_replace(arg, "<label>", ...)` gives the label (a value per cluster: `label_replace(vector(5), "cluster", "b", "", "")`). */
function labelledByReplace(nodes: readonly Expr[], label: string): Set<Expr> {
  return new Set(
    nodes.flatMap((n) => (n.kind === "call" && n.fn === "label_replace" && n.args[1]?.kind === "string" && n.args[1].value === label && n.args[0] ? [n.args[0]] : [])),
  );
}

export const clusterLabelKept: QueryRule = {
  id: "cluster-label-kept",
  scope: "query",
  ...correctness("error"),
  summary: "In cluster mode (`clusterLabel`), an aggregation, `by`/`without`, `on`/`ignoring` or label-free function drops the cluster label.",
  rationale:
    "On a global store (Thanos, Mimir, remote write) one cluster at 10 % errors and three at 0 % sum to 2.5 %, and a global absent() stays silent while any cluster has the metric. kubernetes-mixin's showMultiCluster users hit the same. Runs only with a cluster label (build.config.ts clusterLabel, `npm run lint -- --cluster-label cluster`); on foreign files only with `--cluster-foreign`.",
  cases: {
    bad: [
      { expr: "sum(rate(kong_http_requests_total[5m]))", clusterLabel: "cluster" },
      { expr: "sum by (service) (rate(kong_http_requests_total[5m]))", clusterLabel: "cluster" },
      { expr: "sum without (cluster) (rate(kong_http_requests_total[5m]))", clusterLabel: "cluster" },
      { expr: "kafka_brokers / on (pod) kafka_log_log_size", clusterLabel: "cluster" },
      { expr: "absent(kafka_brokers)", clusterLabel: "cluster" },
      { expr: "kafka_brokers or vector(0)", clusterLabel: "cluster" },
    ],
    good: [
      { expr: "sum by (cluster, service) (rate(kong_http_requests_total[5m]))", clusterLabel: "cluster" },
      { expr: "topk(5, kafka_brokers) / on (cluster, pod) kafka_log_log_size", clusterLabel: "cluster" },
      { expr: "group by (cluster) (up) unless group by (cluster) (kafka_brokers)", clusterLabel: "cluster" },
      { expr: 'kafka_brokers < on (cluster) (label_replace(vector(5), "cluster", "b", "", "") or on (cluster) 3 + 0 * group by (cluster) (up))', clusterLabel: "cluster" },
      { expr: "sum(rate(kong_http_requests_total[5m]))" },
    ],
  },
  check(ctx, report) {
    const label = ctx.options.clusterLabel;
    if (!label || (!ctx.own && !ctx.options.clusterForeign)) return;
    const labelled = labelledByReplace(ctx.parsed.nodes, label);
    for (const node of ctx.parsed.nodes) {
      const why = labelled.has(node) ? undefined : dropped(node, label);
      if (why) report(why);
    }
  },
};
