// Istio service mesh: errors, latency, mTLS and Envoy resilience features (seed section 4).

import { metrics as m } from "../catalogue/metrics";
import { quantities as q } from "../catalogue/quantities";
import { thresholds as t } from "../catalogue/thresholds";
import { serviceMesh } from "../dashboards/service-mesh";
import { alert, breaches, formatThreshold, recording, value, type RuleGroupDef } from "../src/kit/alert";
import { absent, and, bucketsOf, gt, increase, rate, sum, unless } from "../src/kit/promql";
import { minimumTraffic } from "./traffic";

const byService = ["destination_service_namespace", "destination_service_name"] as const;

/** Requests/s per destination service, for guarding latency against a trickle of traffic. */
const serviceRequests = sum(rate(m.istio_requests_total, { reporter: "destination" }), { by: byService });

/**
 * Services that received traffic over the last hour (at least the minimum rate on average) and
 * none, from any reporter, in the last 2 minutes. Callers' own 503s count as traffic: a service
 * that callers still try to reach is down, not abandoned (ServiceUnreachable).
 */
const trafficStopped = unless(
  gt(sum(increase(m.istio_requests_total, { reporter: "destination" }, "1h"), { by: byService }), minimumTraffic.serviceRequestsPerSecond * 3600),
  gt(sum(rate(m.istio_requests_total, {}, "2m"), { by: byService }), 0),
);

/**
 * Pre-aggregated mesh traffic: istio_requests_total has a dozen high-cardinality labels, these
 * keep only what service views group by, so long-range panels and ad-hoc queries stay cheap.
 */
export const meshRecordings = {
  requests: recording(
    "namespace_service:istio_requests:rate5m",
    sum(rate(m.istio_requests_total, { reporter: "destination" }), { by: [...byService, "response_code"] }),
  ),
  durationBuckets: recording(
    "namespace_service:istio_request_duration_milliseconds_bucket:rate5m",
    sum(rate(bucketsOf(m.istio_request_duration_milliseconds), { reporter: "destination" }), { by: [...byService, "le"] }),
  ),
} as const;

export const meshAlerts = {
  serviceUnreachable: alert({
    name: "ServiceUnreachable",
    expr: breaches(q.unreachableRatio({}, minimumTraffic.serviceRequestsPerSecond), t.unreachableRatio),
    for: "1m",
    severity: "critical",
    summary: "Callers find no endpoint of a service: it is down.",
    description: (l) =>
      `${value.percentage} of the requests callers send to ${l.destination_service_name} in ${l.destination_service_namespace} get no endpoint (Envoy UH/UF/URX 503s, threshold ${formatThreshold(t.unreachableRatio)}): no ready pod, or none accepting connections.`,
    // The panel shows the callers' error ratio (the unreachable share is part of it); no line for 50 %.
    panel: serviceMesh.ref.errorRate,
  }),
  serviceTrafficStopped: alert({
    name: "ServiceTrafficStopped",
    expr: trafficStopped,
    for: "3m",
    severity: "warning",
    summary: "A service that had traffic receives none.",
    description: (l) =>
      `${l.destination_service_name} in ${l.destination_service_namespace} received requests over the last hour and none for 5 minutes: its callers, route or ingress stopped sending (resolves by itself an hour after a planned shutdown).`,
    panel: serviceMesh.ref.requestRate,
  }),
  highServiceErrorRate: alert({
    name: "HighServiceErrorRate",
    expr: breaches(q.serviceErrorRatio({}, minimumTraffic.serviceRequestsPerSecond), t.serviceErrorRatio),
    for: "2m",
    severity: "critical",
    summary: "A service answers too many requests with 5xx errors.",
    description: (l) =>
      `${l.destination_service_name} in ${l.destination_service_namespace} answers ${value.percentage} of its requests with 5xx, measured at its own proxy (threshold ${formatThreshold(t.serviceErrorRatio)}).`,
    panel: serviceMesh.ref.errorRate,
    threshold: t.serviceErrorRatio,
  }),
  serviceErrorsSeenByCallers: alert({
    name: "ServiceErrorsSeenByCallers",
    expr: breaches(q.callerErrorRatio({}, minimumTraffic.serviceRequestsPerSecond), t.serviceErrorRatio),
    for: "2m",
    severity: "critical",
    summary: "Callers of a service get too many 5xx errors.",
    description: (l) =>
      `Callers of ${l.destination_service_name} in ${l.destination_service_namespace} get 5xx for ${value.percentage} of their requests, measured at their proxies (threshold ${formatThreshold(t.serviceErrorRatio)}); errors their proxies generate (timeouts, overflow, failed connections) never reach the service's own metrics.`,
    panel: serviceMesh.ref.errorRate,
    threshold: t.serviceErrorRatio,
  }),
  highServiceLatency: alert({
    name: "HighServiceLatency",
    expr: and(breaches(q.serviceLatencyP99(), t.serviceLatencyP99Ms), gt(serviceRequests, minimumTraffic.serviceRequestsPerSecond)),
    for: "10m",
    severity: "warning",
    summary: "A service's p99 latency is above its objective.",
    description: (l) =>
      `p99 latency of ${l.destination_service_name} in ${l.destination_service_namespace} is ${value.fixed(0)} ms (objective ${formatThreshold(t.serviceLatencyP99Ms)}).`,
    panel: serviceMesh.ref.latencyP99,
    threshold: t.serviceLatencyP99Ms,
  }),
  plaintextTrafficInMesh: alert({
    name: "PlaintextTrafficInMesh",
    expr: breaches(q.plaintextRequests(), t.plaintextRequestsPerSecond),
    for: "5m",
    severity: "warning",
    summary: "A service receives requests without mutual TLS while STRICT mTLS is the rule.",
    description: (l) =>
      `${l.destination_service_name} in ${l.destination_service_namespace} receives ${value.humanize} plaintext requests/s; its PeerAuthentication is not STRICT.`,
    panel: serviceMesh.ref.mtlsStatus,
    threshold: t.plaintextRequestsPerSecond,
  }),
  circuitBreakerTriggered: alert({
    name: "CircuitBreakerTriggered",
    expr: breaches(q.trippedClusters(), t.trippedClusters),
    for: "1m",
    // A breaker that opens and closes every scrape would otherwise page and resolve in a loop.
    keepFiringFor: "5m",
    severity: "warning",
    summary: "An Envoy circuit breaker opened, overflowed requests or ejected a host.",
    description: (l) =>
      `Upstream cluster ${l.cluster_name} seen from namespace ${l.namespace} had an open circuit breaker, overflowed requests or an ejected host in the last 5 minutes; requests to it fail fast.`,
    panel: serviceMesh.ref.circuitBreakers,
    threshold: t.trippedClusters,
  }),
  highRetryRate: alert({
    name: "HighRetryRate",
    expr: breaches(q.retryRatio({}, minimumTraffic.clusterRequestsPerSecond), t.retryRatio),
    for: "3m",
    severity: "warning",
    summary: "Envoy retries too many upstream requests.",
    description: (l) =>
      `${value.percentage} of requests to upstream cluster ${l.cluster_name} from namespace ${l.namespace} are retries (threshold ${formatThreshold(t.retryRatio)}).`,
    panel: serviceMesh.ref.retryRate,
    threshold: t.retryRatio,
  }),
  envoyClusterStatsMissing: alert({
    name: "EnvoyClusterStatsMissing",
    guards: "envoy-cluster-stats",
    expr: absent(m.envoy_cluster_upstream_rq_total),
    for: "15m",
    severity: "warning",
    summary: "Prometheus receives no Envoy cluster stats from the mesh.",
    description: () =>
      "No envoy_cluster_upstream_rq_total series for 15 minutes: the sidecars' proxyStatsMatcher inclusion is missing (Istio drops these stats by default) or the sidecars are not scraped, so CircuitBreakerTriggered and HighRetryRate cannot fire.",
    panel: serviceMesh.ref.circuitBreakers,
  }),
} as const;

export const serviceMeshRules: RuleGroupDef = {
  name: "service-mesh",
  rateWindow: "5m",
  labels: { component: "service-mesh" },
  recordings: Object.values(meshRecordings),
  alerts: Object.values(meshAlerts),
};
