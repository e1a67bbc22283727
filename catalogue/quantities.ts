// Quantities that both a panel and an alert show. Defining them once keeps the panel a
// user opens from an alert's dashboard_url drawing exactly what the alert evaluated.

import { metrics as m, upstreamNamespace } from "./metrics";
import {
  count,
  eq,
  gauge,
  gt,
  histogramQuantile,
  matches,
  max,
  notEqual,
  or,
  rate,
  ratio,
  sum,
  type LabelMatch,
} from "../src/kit/promql";

/** Mesh views count each request once: at the receiving proxy. */
const destination = { reporter: "destination" } as const;

/**
 * Filters a dashboard adds (e.g. `$namespace`); rules pass none. `namespace` is the receiving
 * service's namespace: `destination_service_namespace` on Istio metrics, the upstream service's
 * namespace in `cluster_name` on Envoy cluster stats (not their `namespace` label, the caller's).
 */
export interface MeshScope {
  readonly namespace?: LabelMatch;
}

/** Envoy cluster stats of upstream services in the scope's namespace. */
const upstreamScope = (scope: MeshScope) => ({ cluster_name: scope.namespace && upstreamNamespace(scope.namespace) });

export const quantities = {
  /** Share of 5xx responses per destination service. */
  serviceErrorRatio: (scope: MeshScope = {}, minRequestsPerSecond = 0) =>
    ratio(
      sum(rate(m.istio_requests_total, { ...destination, response_code: matches("5.."), destination_service_namespace: scope.namespace }), {
        by: ["destination_service_namespace", "destination_service_name"],
      }),
      sum(rate(m.istio_requests_total, { ...destination, destination_service_namespace: scope.namespace }), {
        by: ["destination_service_namespace", "destination_service_name"],
      }),
      { minDenominator: minRequestsPerSecond },
    ),

  /** p99 latency per destination service, milliseconds. */
  serviceLatencyP99: (scope: MeshScope = {}) =>
    histogramQuantile(0.99, m.istio_request_duration_milliseconds, {
      by: ["destination_service_namespace", "destination_service_name"],
      where: { ...destination, destination_service_namespace: scope.namespace },
    }),

  /** Requests/s received without mutual TLS, per destination service. */
  plaintextRequests: (scope: MeshScope = {}) =>
    sum(
      rate(m.istio_requests_total, {
        ...destination,
        connection_security_policy: notEqual("mutual_tls"),
        destination_service_namespace: scope.namespace,
      }),
      { by: ["destination_service_namespace", "destination_service_name"] },
    ),

  /** 1 per upstream cluster with an open circuit breaker or an ejected host; absent otherwise. */
  trippedClusters: (scope: MeshScope = {}) => {
    const where = upstreamScope(scope);
    return count(
      or(
        or(eq(gauge(m.envoy_cluster_circuit_breakers_default_cx_open, where), 1), eq(gauge(m.envoy_cluster_circuit_breakers_default_rq_open, where), 1)),
        or(
          eq(gauge(m.envoy_cluster_circuit_breakers_default_rq_pending_open, where), 1),
          gt(gauge(m.envoy_cluster_outlier_detection_ejections_active, where), 0),
        ),
      ),
      { by: ["namespace", "cluster_name"] },
    );
  },

  /** Retries as a share of upstream requests, per cluster. */
  retryRatio: (scope: MeshScope = {}, minRequestsPerSecond = 0) =>
    ratio(
      sum(rate(m.envoy_cluster_upstream_rq_retry, upstreamScope(scope)), { by: ["namespace", "cluster_name"] }),
      sum(rate(m.envoy_cluster_upstream_rq_total, upstreamScope(scope)), { by: ["namespace", "cluster_name"] }),
      { minDenominator: minRequestsPerSecond },
    ),

  /** 401s answered by Kong itself, per second, per service. */
  authFailures: (where: { readonly service?: LabelMatch } = {}) =>
    sum(rate(m.kong_http_requests_total, { code: "401", source: "kong", service: where.service }), { by: ["service"] }),

  /** 429s answered by Kong itself, per second, per service. */
  rateLimited: (where: { readonly service?: LabelMatch } = {}) =>
    sum(rate(m.kong_http_requests_total, { code: "429", source: "kong", service: where.service }), { by: ["service"] }),

  /** Share of cache lookups that hit (Bypass excluded: not cacheable), per service. */
  cacheHitRatio: (where: { readonly service?: LabelMatch } = {}, minLookupsPerSecond = 0) =>
    ratio(
      sum(rate(m.carbon_gateway_cache_responses_total, { cache_status: "Hit", service: where.service }), { by: ["service"] }),
      sum(rate(m.carbon_gateway_cache_responses_total, { cache_status: matches("Hit|Miss|Refresh"), service: where.service }), {
        by: ["service"],
      }),
      { minDenominator: minLookupsPerSecond },
    ),

  /** Messages behind, per consumer group and topic. */
  consumerLag: (where: { readonly topic?: LabelMatch } = {}) =>
    sum(gauge(m.kafka_consumergroup_lag, { topic: where.topic }), { by: ["consumergroup", "topic"] }),

  /** Failed deliveries per second, per producer and topic. */
  failedEventDeliveries: (where: { readonly topic?: LabelMatch } = {}) =>
    sum(rate(m.carbon_events_produced_total, { outcome: "failed", topic: where.topic }), { by: ["producer", "topic"] }),

  /** Brokers in the cluster metadata. */
  kafkaBrokers: () => max(gauge(m.kafka_brokers)),

} as const;
