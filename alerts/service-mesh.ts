// Istio service mesh: errors, latency, mTLS and Envoy resilience features (seed section 4).

import { metrics as m } from "../catalogue/metrics";
import { quantities as q } from "../catalogue/quantities";
import { thresholds as t } from "../catalogue/thresholds";
import { serviceMesh } from "../dashboards/service-mesh";
import { alert, breaches, formatThreshold, recording, value, type RuleGroupDef } from "../src/kit/alert";
import { and, bucketsOf, gt, rate, sum } from "../src/kit/promql";
import { minimumTraffic } from "./traffic";

const byService = ["destination_service_namespace", "destination_service_name"] as const;

/** Requests/s per destination service, for guarding latency against a trickle of traffic. */
const serviceRequests = sum(rate(m.istio_requests_total, { reporter: "destination" }), { by: byService });

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

export const serviceMeshRules: RuleGroupDef = {
  name: "service-mesh",
  rateWindow: "5m",
  labels: { component: "service-mesh" },
  recordings: Object.values(meshRecordings),
  alerts: [
    alert({
      name: "HighServiceErrorRate",
      expr: breaches(q.serviceErrorRatio({}, minimumTraffic.serviceRequestsPerSecond), t.serviceErrorRatio),
      for: "5m",
      severity: "critical",
      summary: "A service answers too many requests with 5xx errors.",
      description: (l) =>
        `${l.destination_service_name} in ${l.destination_service_namespace} answers ${value.percentage} of its requests with 5xx (threshold ${formatThreshold(t.serviceErrorRatio)}).`,
      panel: serviceMesh.ref.errorRate,
      threshold: t.serviceErrorRatio,
    }),
    alert({
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
    alert({
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
    alert({
      name: "CircuitBreakerTriggered",
      expr: breaches(q.trippedClusters(), t.trippedClusters),
      for: "1m",
      // A breaker that opens and closes every scrape would otherwise page and resolve in a loop.
      keepFiringFor: "5m",
      severity: "warning",
      summary: "An Envoy circuit breaker is open or outlier detection ejected a host.",
      description: (l) =>
        `Upstream cluster ${l.cluster_name} seen from namespace ${l.namespace} has an open circuit breaker or an ejected host; requests to it fail fast.`,
      panel: serviceMesh.ref.circuitBreakers,
      threshold: t.trippedClusters,
    }),
    alert({
      name: "HighRetryRate",
      expr: breaches(q.retryRatio({}, minimumTraffic.clusterRequestsPerSecond), t.retryRatio),
      for: "5m",
      severity: "warning",
      summary: "Envoy retries too many upstream requests.",
      description: (l) =>
        `${value.percentage} of requests to upstream cluster ${l.cluster_name} from namespace ${l.namespace} are retries (threshold ${formatThreshold(t.retryRatio)}).`,
      panel: serviceMesh.ref.retryRate,
      threshold: t.retryRatio,
    }),
  ],
};
