// The metric catalogue: every metric a dashboard or alert reads, declared once.
// Names are the ones real exporters emit today (see README "Metrics and what emits them");
// where no standard exporter has one, the metric is the platform's own (owner: "platform",
// prefix `carbon_`) and its emitter is named.

import { counter, family, gauge, histogram } from "../src/kit/metric";
import { matches, type LabelMatch } from "../src/kit/promql";
import type { AnyMetric, MetricSource } from "../src/model/metric";

// ---------------------------------------------------------------- sources

const istioSidecar: MetricSource = {
  id: "istio",
  exporter: "Istio sidecar / gateway (Envoy istio.stats filter)",
  owner: "upstream",
  reference: "istio.io docs/reference/config/metrics",
};

/**
 * The Envoy cluster stats the dashboards and alerts read, as Envoy names them
 * (`cluster.<cluster name>.<stat>`; in Prometheus `envoy_cluster_<stat, dots as _>{cluster_name}`).
 */
export const envoyStats = [
  "circuit_breakers.default.cx_open",
  "circuit_breakers.default.rq_open",
  "circuit_breakers.default.rq_pending_open",
  "outlier_detection.ejections_active",
  "upstream_cx_active",
  "upstream_rq_pending_overflow",
  "upstream_rq_retry",
  "upstream_rq_total",
] as const;

/**
 * What Istio's proxyStatsMatcher must include for them: one regexp per stat, anchored to it on
 * outbound clusters (Envoy matches the whole stat name). A loose `.*circuit_breakers.*` would
 * add every stat it touches, ~25 per cluster per pod.
 */
export const envoyInclusionRegexps = envoyStats.map((stat) => `cluster\\.outbound\\|.+\\.${stat.replaceAll(".", "\\.")}`);

const envoyClusterStats: MetricSource = {
  id: "envoy-cluster-stats",
  exporter: "Istio sidecar (Envoy cluster manager stats)",
  requires: `meshConfig.defaultConfig.proxyStatsMatcher.inclusionRegexps: ${envoyInclusionRegexps.map((r) => `'${r}'`).join(", ")} (Istio drops these stats by default)`,
  owner: "upstream",
  reference: "envoy docs configuration/upstream/cluster_manager/cluster_stats",
};

/** Kong's plugin; each optional metric family is its own source, switched on by its flag. */
const kongPrometheus = (flag?: { readonly id: string; readonly setting: string }, workspaceLabel = false): MetricSource => ({
  id: flag?.id ?? "kong",
  exporter: "Kong 3.x prometheus plugin",
  requires: [
    flag && `plugin config ${flag.setting}: true`,
    "scrape with honorLabels: true so Kong's `service` label is not renamed to `exported_service`",
    // Kong/kong changelog/3.7.0/kong/feat-add-workspace-label-to-prometheus.yml (#12836).
    workspaceLabel && "the `workspace` label exists from Kong 3.7 on (absent before: do not filter or group by it on older Kong)",
  ]
    .filter(Boolean)
    .join("; "),
  owner: "upstream",
  reference: "Kong/kong kong/plugins/prometheus/exporter.lua",
});

const kongFlags = {
  statusCodes: { id: "kong-status-code-metrics", setting: "status_code_metrics (and per_consumer for the consumer label)" },
  latency: { id: "kong-latency-metrics", setting: "latency_metrics" },
  bandwidth: { id: "kong-bandwidth-metrics", setting: "bandwidth_metrics" },
  upstreamHealth: { id: "kong-upstream-health-metrics", setting: "upstream_health_metrics" },
} as const;

const kafkaExporter: MetricSource = {
  id: "kafka-exporter",
  exporter: "kafka_exporter (danielqsj/kafka_exporter)",
  owner: "upstream",
  reference: "danielqsj/kafka_exporter README",
};

const kafkaJmx: MetricSource = {
  id: "kafka-jmx",
  exporter: "Kafka broker JMX exporter with Strimzi's metric rules",
  requires: "Strimzi kafka-metrics.yaml relabelling rules (or equivalent JMX exporter config)",
  owner: "upstream",
  reference: "strimzi packaging/examples/metrics/kafka-metrics.yaml",
};

const eventLibrary: MetricSource = {
  id: "platform-events",
  exporter: "254Carbon event-producer libraries (Python and Node.js, services/event-producer)",
  requires: "libraries must expose these metrics (prometheus_client / prom-client); no Kafka client emits them",
  owner: "platform",
  reference: "platform-defined; see README 'Platform-owned metrics'",
  pending: "the platform event libraries expose it (README, Platform-owned metrics)",
};

const gatewayCacheLogger: MetricSource = {
  id: "platform-gateway-cache",
  exporter: "254Carbon Kong log-phase plugin reading proxy-cache's X-Cache-Status header",
  requires: "the platform plugin on every cached route; Kong's proxy-cache has no metric of its own",
  owner: "platform",
  reference: "platform-defined; see README 'Platform-owned metrics'",
  pending: "the platform's Kong cache-status plugin ships (README, Platform-owned metrics)",
};

const prometheusScrape: MetricSource = {
  id: "prometheus",
  exporter: "Prometheus itself: one `up` series per scrape target",
  owner: "upstream",
  reference: "prometheus docs concepts/jobs_instances (automatically generated labels and time series)",
};

/** Every source a metric names, by id: the keys `build.config.ts` declares deployed or not. */
export const sourceIds = [
  "prometheus",
  "istio",
  "envoy-cluster-stats",
  "kong",
  "kong-status-code-metrics",
  "kong-latency-metrics",
  "kong-bandwidth-metrics",
  "kong-upstream-health-metrics",
  "kafka-exporter",
  "kafka-jmx",
  "platform-events",
  "platform-gateway-cache",
] as const;
export type SourceId = (typeof sourceIds)[number];

// ---------------------------------------------------------------- label sets

const istioLabels = [
  "reporter",
  "source_workload",
  "source_workload_namespace",
  "destination_workload",
  "destination_workload_namespace",
  "destination_service",
  "destination_service_name",
  "destination_service_namespace",
  "request_protocol",
  "response_code",
  "response_flags",
  "grpc_response_status",
  "connection_security_policy",
] as const;

const istioValues = {
  reporter: ["source", "destination", "waypoint"],
  connection_security_policy: ["mutual_tls", "none", "unknown"],
} as const;

/** Realistic values of open Istio labels, for synthetic test data (test/support/synthetic). */
const istioExamples = {
  response_code: ["200", "404", "503"],
  response_flags: ["-", "UO"],
  source_workload: ["istio-ingressgateway"],
  source_workload_namespace: ["istio-system"],
  destination_service: ["ingestion-api.carbon.svc.cluster.local", "query-api.carbon.svc.cluster.local"],
  destination_service_name: ["ingestion-api", "query-api"],
  destination_service_namespace: ["carbon"],
  destination_workload: ["ingestion-api-v1", "query-api-v1"],
  destination_workload_namespace: ["carbon"],
  request_protocol: ["http"],
  grpc_response_status: ["0"],
} as const;

/**
 * Envoy stats are per upstream cluster, reported by each calling proxy: `namespace`/`pod` (from
 * the scrape config) are the caller's. Istio names outbound clusters
 * `outbound|<port>|<subset>|<service>.<namespace>.svc.<domain>`.
 */
const envoyLabels = ["cluster_name", "namespace", "pod"] as const;

/**
 * A `cluster_name` matcher selecting outbound clusters whose upstream service lives in the
 * namespaces `namespace` matches (a regex such as a dashboard's `$namespace`, or one name).
 */
export function upstreamNamespace(namespace: LabelMatch): LabelMatch {
  if (namespace.op !== "=~" && namespace.op !== "=") throw new Error(`upstreamNamespace takes = or =~, not ${namespace.op}`);
  const pattern = namespace.op === "=" ? namespace.value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : namespace.value;
  return matches(`outbound\\|[^|]*\\|[^|]*\\|[^.|]+\\.(${pattern})\\..+`);
}

/** The ingress gateway (in istio-system) calls ingestion-api; ingestion-api calls query-api. */
const envoyExamples = {
  cluster_name: ["outbound|8080||ingestion-api.carbon.svc.cluster.local", "outbound|8080||query-api.carbon.svc.cluster.local"],
  namespace: ["istio-system", "carbon"],
  pod: ["istio-ingressgateway-6d8f9-abcde", "ingestion-api-v1-7d9f8-x2x9k"],
} as const;

const kongRouteLabels = ["service", "route", "workspace"] as const;
const kongRouteExamples = {
  service: ["ingestion-api", "query-api"],
  route: ["ingestion-api-route", "query-api-route"],
  workspace: ["default"],
} as const;
const kafkaTopics = ["carbon.data.ingestion", "carbon.system.health", "carbon.audit.events"];

// ---------------------------------------------------------------- metrics

export const metrics = {
  // Prometheus
  ...family(prometheusScrape, {
    up: gauge({
      help: "1 when Prometheus's last scrape of the target succeeded, 0 when it failed; absent once the target is gone from discovery.",
      unit: "bool",
      // prometheus-operator's ServiceMonitor/PodMonitor relabelling adds namespace and pod.
      labels: ["job", "instance", "namespace", "pod"],
      examples: { job: ["kafka/kafka-resources-metrics", "kafka/kafka-exporter", "kong/kong"], instance: ["10.0.2.10:9404"], namespace: ["kafka"], pod: ["carbon-kafka-0"] },
    }),
  }),

  // Istio
  ...family(istioSidecar, {
    istio_requests_total: counter({
      help: "Requests handled by the mesh, by source, destination, response code and security policy.",
      unit: "short",
      labels: istioLabels,
      values: istioValues,
      examples: istioExamples,
    }),
    istio_request_duration_milliseconds: histogram({
      help: "Request duration as seen by the reporting proxy.",
      unit: "ms",
      labels: istioLabels,
      values: istioValues,
      examples: istioExamples,
    }),
  }),

  // Envoy cluster stats (opt-in through proxyStatsMatcher)
  ...family(envoyClusterStats, {
    envoy_cluster_outlier_detection_ejections_active: gauge({
      help: "Hosts currently ejected from the upstream cluster by outlier detection.",
      unit: "short",
      labels: envoyLabels,
      examples: envoyExamples,
    }),
    envoy_cluster_circuit_breakers_default_cx_open: gauge({
      help: "1 while the connection circuit breaker of the cluster is open.",
      unit: "bool",
      labels: envoyLabels,
      examples: envoyExamples,
    }),
    envoy_cluster_circuit_breakers_default_rq_open: gauge({
      help: "1 while the request circuit breaker of the cluster is open.",
      unit: "bool",
      labels: envoyLabels,
      examples: envoyExamples,
    }),
    envoy_cluster_circuit_breakers_default_rq_pending_open: gauge({
      help: "1 while the pending-request circuit breaker of the cluster is open.",
      unit: "bool",
      labels: envoyLabels,
      examples: envoyExamples,
    }),
    envoy_cluster_upstream_cx_active: gauge({
      help: "Active upstream connections of the cluster's connection pool.",
      unit: "short",
      labels: envoyLabels,
      examples: envoyExamples,
    }),
    envoy_cluster_upstream_rq_pending_overflow: counter({
      help: "Requests that overflowed the connection pool or circuit breaker and failed.",
      unit: "short",
      labels: envoyLabels,
      examples: envoyExamples,
    }),
    envoy_cluster_upstream_rq_retry: counter({
      help: "Upstream request retries.",
      unit: "short",
      labels: envoyLabels,
      examples: envoyExamples,
    }),
    envoy_cluster_upstream_rq_total: counter({
      help: "Upstream requests, retries included.",
      unit: "short",
      labels: envoyLabels,
      examples: envoyExamples,
    }),
  }),

  // Kong 3.x
  ...family(kongPrometheus(kongFlags.statusCodes, true), {
    kong_http_requests_total: counter({
      help: "HTTP requests proxied by Kong; source=\"kong\" when Kong answered itself (auth, rate limit). With per_consumer, requests without an authenticated consumer carry consumer=\"\" (no label in Prometheus).",
      unit: "short",
      labels: ["service", "route", "code", "source", "workspace", "consumer"],
      values: { source: ["service", "kong"] },
      // "": Kong's exporter sets consumer = "" for requests without an authenticated consumer.
      examples: { ...kongRouteExamples, code: ["200", "401", "403", "429", "500", "503"], consumer: ["ingestion-client", "trading-desk", ""] },
    }),
  }),
  ...family(kongPrometheus(kongFlags.latency, true), {
    kong_request_latency_ms: histogram({
      help: "Total request latency in Kong, from first byte read to last byte sent.",
      unit: "ms",
      labels: kongRouteLabels,
      examples: kongRouteExamples,
    }),
    kong_upstream_latency_ms: histogram({
      help: "Time the upstream service took to answer.",
      unit: "ms",
      labels: kongRouteLabels,
      examples: kongRouteExamples,
    }),
  }),
  ...family(kongPrometheus(kongFlags.bandwidth, true), {
    kong_bandwidth_bytes: counter({
      help: "Bytes through Kong, by direction.",
      unit: "bytes",
      labels: ["service", "route", "direction", "workspace", "consumer"],
      values: { direction: ["ingress", "egress"] },
      examples: { ...kongRouteExamples, consumer: ["ingestion-client"] },
    }),
  }),
  ...family(kongPrometheus(), {
    kong_datastore_reachable: gauge({
      help: "1 when Kong can reach its datastore (PostgreSQL), else 0.",
      unit: "bool",
      labels: [],
    }),
    kong_nginx_connections_total: gauge({
      help: "NGINX connections by state. A gauge despite its `_total` suffix: never rate it.",
      unit: "short",
      labels: ["node_id", "subsystem", "state"],
      values: { state: ["accepted", "active", "handled", "reading", "total", "waiting", "writing"] },
      examples: { node_id: ["kong-7f6d5-abcde"], subsystem: ["http"] },
    }),
  }),
  ...family(kongPrometheus(kongFlags.upstreamHealth), {
    kong_upstream_target_health: gauge({
      help: "1 for the health state an upstream target is in, 0 for the others.",
      unit: "bool",
      labels: ["upstream", "target", "address", "state", "subsystem"],
      values: { state: ["healthchecks_off", "healthy", "unhealthy", "dns_error"] },
      examples: { upstream: ["ingestion-api-upstream"], target: ["10.0.1.15:8080", "10.0.1.16:8080"], address: ["10.0.1.15:8080", "10.0.1.16:8080"], subsystem: ["http"] },
    }),
  }),
  ...family(gatewayCacheLogger, {
    carbon_gateway_cache_responses_total: counter({
      help: "Responses on cached routes by proxy-cache status (Hit, Miss, Bypass, Refresh).",
      unit: "short",
      labels: ["service", "route", "cache_status"],
      values: { cache_status: ["Hit", "Miss", "Bypass", "Refresh"] },
      examples: { service: kongRouteExamples.service, route: kongRouteExamples.route },
    }),
  }),

  // Kafka: kafka_exporter
  ...family(kafkaExporter, {
    kafka_brokers: gauge({
      help: "Brokers in the cluster metadata, as seen by kafka_exporter.",
      unit: "short",
      labels: [],
    }),
    kafka_consumergroup_lag: gauge({
      help: "Messages a consumer group is behind the partition's latest offset.",
      unit: "short",
      labels: ["consumergroup", "topic", "partition"],
      examples: { consumergroup: ["carbon-ingestion-workers", "carbon-audit-sink"], topic: kafkaTopics, partition: ["0", "1"] },
    }),
    kafka_topic_partition_current_offset: gauge({
      help: "Latest offset of a partition.",
      unit: "short",
      labels: ["topic", "partition"],
      examples: { topic: kafkaTopics, partition: ["0", "1"] },
    }),
    kafka_topic_partition_oldest_offset: gauge({
      help: "Oldest offset still retained in a partition.",
      unit: "short",
      labels: ["topic", "partition"],
      examples: { topic: kafkaTopics, partition: ["0", "1"] },
    }),
  }),

  // Kafka: broker JMX
  ...family(kafkaJmx, {
    kafka_server_brokertopicmetrics_messagesin_total: counter({
      help: "Messages written to the broker, per topic (the series without `topic` is the broker total).",
      unit: "short",
      labels: ["topic", "pod"],
      examples: { topic: kafkaTopics, pod: ["kafka-0", "kafka-1"] },
    }),
    kafka_server_brokertopicmetrics_failedproducerequests_total: counter({
      help: "Produce requests the broker rejected, per topic.",
      unit: "short",
      labels: ["topic", "pod"],
      examples: { topic: kafkaTopics, pod: ["kafka-0", "kafka-1"] },
    }),
    kafka_server_replicamanager_underreplicatedpartitions: gauge({
      help: "Partitions led by this broker with fewer in-sync replicas than replicas.",
      unit: "short",
      labels: ["pod"],
    }),
    kafka_controller_kafkacontroller_offlinepartitionscount: gauge({
      help: "Partitions without an active leader (reported by the controller).",
      unit: "short",
      labels: ["pod"],
    }),
    kafka_log_log_size: gauge({
      help: "Bytes on disk of a partition's log on one broker.",
      unit: "bytes",
      labels: ["topic", "partition", "pod"],
      examples: { topic: kafkaTopics, partition: ["0", "1"], pod: ["kafka-0", "kafka-1"] },
    }),
  }),

  // Platform event libraries
  ...family(eventLibrary, {
    carbon_events_produced_total: counter({
      help: "Events a service handed to Kafka through the platform library, by type and delivery outcome.",
      unit: "short",
      labels: ["producer", "event_family", "event_type", "topic", "outcome"],
      examples: { producer: ["ingestion-api", "audit-service"], topic: kafkaTopics },
      values: {
        event_family: ["data", "system", "audit"],
        event_type: [
          "data_ingestion",
          "data_quality",
          "data_lineage",
          "data_transformation",
          "service_health",
          "deployment",
          "config_change",
          "security",
          "user_action",
          "api_call",
          "data_access",
          "admin_operation",
        ],
        outcome: ["delivered", "failed"],
      },
    }),
  }),
  ...family({ ...eventLibrary, requires: "consumers must use the platform library's consume helper, which observes this histogram" }, {
    carbon_event_processing_duration_seconds: histogram({
      help: "Seconds from an event's timestamp (set by the producer library) to the end of its handling by a consumer.",
      unit: "s",
      // Up to 10 minutes: a consumer catching up on a backlog handles events minutes old, and a
      // p99 beyond the last finite bucket is not computable (histogram_quantile returns +Inf's bound).
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      labels: ["consumer", "event_family", "event_type", "topic"],
      examples: { consumer: ["lineage-worker", "audit-sink"], event_type: ["data_ingestion", "service_health", "user_action"], topic: kafkaTopics },
      values: { event_family: ["data", "system", "audit"] },
    }),
  }),
} as const;

export type Catalogue = typeof metrics;
export type MetricName = keyof Catalogue;

/** The catalogue as a list, for generators and linters that walk every metric. */
export const allMetrics: readonly AnyMetric[] = Object.values(metrics);
