// 254Carbon Service Mesh Overview: Istio traffic, errors, latency, mTLS and Envoy resilience.
// Panels in the design document's order (section 4). Their ids are explicit, kept from when they
// followed that order; a new panel may go anywhere and takes its id from its key.

import { metrics as m, upstreamNamespace } from "../catalogue/metrics";
import { quantities } from "../catalogue/quantities";
import { thresholds } from "../catalogue/thresholds";
import { dashboard, labelVariable } from "../src/kit/dashboard";
import { nodeGraph, query, stat, table, timeSeries } from "../src/kit/panel";
import { add, count, current, gt, joinLabels, orZero, rate, sum } from "../src/kit/promql";
import { folders } from "./folders";

const namespace = labelVariable("namespace", "Namespace", m.istio_requests_total, "destination_service_namespace");
const scope = { namespace: namespace.match };
const received = { reporter: "destination", destination_service_namespace: scope.namespace } as const;
/** Envoy cluster stats of upstream services in $namespace (their own `namespace` label is the caller's). */
const upstreams = { cluster_name: upstreamNamespace(scope.namespace) };
const envoyScopeNote =
  "$namespace selects upstream services by their namespace (read from the cluster name); the namespace shown is that of the calling proxies that report the stat.";
const byService = { by: ["destination_service_namespace", "destination_service_name"] } as const;
const byCluster = { by: ["namespace", "cluster_name"] } as const;
const serviceLegend = { legend: (l: { destination_service_name: string; destination_service_namespace: string }) => `${l.destination_service_name}.${l.destination_service_namespace}` };

/**
 * Workload-to-workload request rates, shaped as the edges frame Grafana's node graph reads.
 * Nodes are `workload.namespace`: the same workload name in two namespaces is two nodes.
 */
const dependencyEdges = joinLabels(
  joinLabels(
    joinLabels(
      sum(rate(m.istio_requests_total, received), {
        by: ["source_workload", "source_workload_namespace", "destination_workload", "destination_workload_namespace"],
      }),
      "source",
      ".",
      ["source_workload", "source_workload_namespace"],
    ),
    "target",
    ".",
    ["destination_workload", "destination_workload_namespace"],
  ),
  "id",
  " -> ",
  ["source", "target"],
);

export const serviceMesh = dashboard({
  uid: "service-mesh",
  title: "254Carbon Service Mesh Overview",
  description: "Istio service mesh: request rate, errors and latency per service, mTLS coverage, circuit breakers, connection pools and retries.",
  tags: ["254carbon", "istio", "service-mesh"],
  folder: folders.serviceMesh,
  variables: [namespace],
  panels: {
    requestRate: timeSeries({
      id: 1,
      title: "Service Request Rate",
      description: "Requests per second received by each service (reported by the destination proxy, so each request counts once).",
      unit: "reqps",
      targets: [query(sum(rate(m.istio_requests_total, received), byService), serviceLegend)],
    }),
    errorRate: timeSeries({
      id: 2,
      title: "Service Error Rate",
      description:
        "Share of responses with a 5xx code per service, seen by its callers' proxies (reporter source or waypoint: includes the 503s they answer themselves when no endpoint is up) and by the service's own proxy. The dashed line is the HighServiceErrorRate / ServiceErrorsSeenByCallers threshold.",
      unit: "percentunit",
      threshold: thresholds.serviceErrorRatio,
      targets: [
        query(quantities.callerErrorRatio(scope), { legend: (l) => `${l.destination_service_name}.${l.destination_service_namespace} (callers)` }),
        query(quantities.serviceErrorRatio(scope), { legend: (l) => `${l.destination_service_name}.${l.destination_service_namespace} (service)` }),
      ],
    }),
    latencyP99: timeSeries({
      id: 3,
      title: "Service Latency P99",
      description: "99th percentile of request duration per service, from Istio's duration histogram. The dashed line is the HighServiceLatency objective.",
      unit: "ms",
      threshold: thresholds.serviceLatencyP99Ms,
      size: { w: 18, h: 8 },
      targets: [query(quantities.serviceLatencyP99(scope), serviceLegend)],
    }),
    mtlsStatus: stat({
      id: 4,
      title: "mTLS Status",
      description:
        "Services receiving traffic over mutual TLS, and services still receiving plaintext (any request without mTLS in the range). Plaintext must be 0 once STRICT mTLS is enforced.",
      unit: "short",
      threshold: thresholds.plaintextServices,
      size: { w: 6, h: 8 },
      targets: [
        query(orZero(count(gt(sum(rate(m.istio_requests_total, { ...received, connection_security_policy: "mutual_tls" }), byService), 0))), {
          legend: () => "mTLS services",
          threshold: null,
        }),
        query(orZero(count(gt(quantities.plaintextRequests(scope), thresholds.plaintextRequestsPerSecond.value))), { legend: () => "plaintext services" }),
      ],
    }),
    circuitBreakers: table({
      id: 5,
      title: "Circuit Breaker Status",
      description:
        `Per upstream cluster: open circuit breakers (connection, request, pending-request) and hosts ejected by outlier detection. Anything above 0 means the CircuitBreakerTriggered alert is firing. ${envoyScopeNote} Needs Envoy stats inclusion (see README).`,
      unit: "short",
      threshold: thresholds.trippedClusters,
      size: { w: 24, h: 8 },
      targets: [
        query(
          sum(
            add(
              add(current(m.envoy_cluster_circuit_breakers_default_cx_open, upstreams), current(m.envoy_cluster_circuit_breakers_default_rq_open, upstreams)),
              current(m.envoy_cluster_circuit_breakers_default_rq_pending_open, upstreams),
            ),
            byCluster,
          ),
          { instant: true, format: "table" },
        ),
        query(sum(current(m.envoy_cluster_outlier_detection_ejections_active, upstreams), byCluster), { instant: true, format: "table" }),
      ],
      columns: {
        rename: { cluster_name: "Upstream cluster", namespace: "Caller namespace", "Value #A": "Open breakers", "Value #B": "Ejected hosts" },
        hide: ["Time"],
      },
    }),
    dependencies: nodeGraph({
      id: 6,
      title: "Service Dependencies",
      description:
        "Which workload calls which (nodes are workload.namespace), with requests per second on each edge. The query returns `id`, `source` and `target` labels so that Grafana's node graph reads it as an edges frame and derives the nodes.",
      unit: "reqps",
      size: { w: 24, h: 12 },
      targets: [query(dependencyEdges, { instant: true, format: "table" })],
      columns: {
        hide: ["Time", "source_workload", "source_workload_namespace", "destination_workload", "destination_workload_namespace"],
      },
    }),
    connectionPools: timeSeries({
      id: 7,
      title: "Connection Pool Status",
      description:
        `Active upstream connections per cluster, and requests per second that overflowed the pool (failed fast because the pool or its breaker was full). ${envoyScopeNote}`,
      unit: "short",
      targets: [
        query(sum(current(m.envoy_cluster_upstream_cx_active, upstreams), byCluster), { legend: (l) => `${l.cluster_name} active (${l.namespace})` }),
        query(sum(rate(m.envoy_cluster_upstream_rq_pending_overflow, upstreams), byCluster), {
          legend: (l) => `${l.cluster_name} overflow (${l.namespace})`,
          unit: "reqps",
        }),
      ],
    }),
    retryRate: timeSeries({
      id: 8,
      title: "Retry Rate",
      description: `Retries as a share of upstream requests per cluster. The dashed line is the HighRetryRate alert threshold. ${envoyScopeNote}`,
      unit: "percentunit",
      threshold: thresholds.retryRatio,
      targets: [query(quantities.retryRatio(scope), { legend: (l) => `${l.cluster_name} (${l.namespace})` })],
    }),
  },
});
