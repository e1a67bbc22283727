// Quantities that both a panel and an alert show. Defining them once keeps the panel a
// user opens from an alert's dashboard_url drawing exactly what the alert evaluated.

import { deployment, type ScrapeSelector } from "../build.config";
import { metrics as m, upstreamNamespace } from "./metrics";
import {
  clampMin,
  count,
  eq,
  current,
  gt,
  histogramQuantile,
  matches,
  max,
  maxOverTime,
  notEqual,
  or,
  orZero,
  rate,
  ratio,
  sum,
  type LabelMatch,
} from "../src/kit/promql";

/** The service's own view: each request counted once, at the receiving proxy. */
const destination = { reporter: "destination" } as const;
/**
 * The callers' view: each request counted once at the calling proxy (sidecar, or the waypoint in
 * ambient mode), as Istio's own mesh dashboard reads success rates. Only callers see requests
 * that never reached the service: their proxy answers 503 itself (`response_flags` UH, UF, URX...).
 */
const callers = { reporter: matches("source|waypoint") } as const;
/**
 * Envoy response flags of a request no endpoint of the service could take: no healthy upstream
 * (UH), connection failure (UF), retries exhausted (URX). A request can carry several ("UF,URX").
 */
const noEndpointFlags = matches(".*(UH|UF|URX).*");

const byService = { by: ["destination_service_namespace", "destination_service_name"] } as const;

/** Scrape targets of a job that answered their last scrape, 0 when none (or none exist). */
const targetsUp = (selector: ScrapeSelector) => orZero(count(eq(current(m.up, selector), 1)));

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
  /** Share of 5xx responses per destination service, as the service's own proxy reports them. */
  serviceErrorRatio: (scope: MeshScope = {}, minRequestsPerSecond = 0) =>
    ratio(
      sum(rate(m.istio_requests_total, { ...destination, response_code: matches("5.."), destination_service_namespace: scope.namespace }), byService),
      sum(rate(m.istio_requests_total, { ...destination, destination_service_namespace: scope.namespace }), byService),
      { minDenominator: minRequestsPerSecond },
    ),

  /** Share of 5xx responses per destination service, as its callers' proxies report them. */
  callerErrorRatio: (scope: MeshScope = {}, minRequestsPerSecond = 0) =>
    ratio(
      sum(rate(m.istio_requests_total, { ...callers, response_code: matches("5.."), destination_service_namespace: scope.namespace }), byService),
      sum(rate(m.istio_requests_total, { ...callers, destination_service_namespace: scope.namespace }), byService),
      { minDenominator: minRequestsPerSecond },
    ),

  /** Share of callers' requests to a service that found no endpoint to take them. */
  unreachableRatio: (scope: MeshScope = {}, minRequestsPerSecond = 0) =>
    ratio(
      sum(rate(m.istio_requests_total, { ...callers, response_flags: noEndpointFlags, destination_service_namespace: scope.namespace }), byService),
      sum(rate(m.istio_requests_total, { ...callers, destination_service_namespace: scope.namespace }), byService),
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

  /**
   * 1 per upstream cluster whose circuit breaker opened, that overflowed requests, or that had a
   * host ejected, within the rate window. The `*_open` gauges are instantaneous: a breaker opening
   * between scrapes is only seen through the overflow counter, one flapping every other scrape
   * only through the window's maximum.
   */
  trippedClusters: (scope: MeshScope = {}) => {
    const where = upstreamScope(scope);
    return count(
      or(
        or(
          eq(maxOverTime(m.envoy_cluster_circuit_breakers_default_cx_open, where), 1),
          eq(maxOverTime(m.envoy_cluster_circuit_breakers_default_rq_open, where), 1),
        ),
        or(
          or(
            eq(maxOverTime(m.envoy_cluster_circuit_breakers_default_rq_pending_open, where), 1),
            gt(maxOverTime(m.envoy_cluster_outlier_detection_ejections_active, where), 0),
          ),
          gt(rate(m.envoy_cluster_upstream_rq_pending_overflow, where), 0),
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

  /**
   * Messages behind, per consumer group and topic. kafka_exporter reports -1 for a partition the
   * group never committed an offset on; summed as is, those would hide lag elsewhere.
   */
  consumerLag: (where: { readonly topic?: LabelMatch } = {}) =>
    sum(clampMin(current(m.kafka_consumergroup_lag, { topic: where.topic }), 0), { by: ["consumergroup", "topic"] }),

  /** Failed deliveries per second, per producer and topic. */
  failedEventDeliveries: (where: { readonly topic?: LabelMatch } = {}) =>
    sum(rate(m.carbon_events_produced_total, { outcome: "failed", topic: where.topic }), { by: ["producer", "topic"] }),

  /** Brokers answering Prometheus's scrape of their JMX exporter: liveness without kafka_exporter. */
  kafkaBrokersUp: () => targetsUp(deployment.scrapeTargets.kafkaBrokers),

  /** Kong nodes answering Prometheus's scrape. */
  kongNodesUp: () => targetsUp(deployment.scrapeTargets.kong),

  /** Partitions without a leader. In KRaft every controller reports the count: the max, not the sum. */
  offlinePartitions: () => max(current(m.kafka_controller_kafkacontroller_offlinepartitionscount)),

} as const;
