// The 254Carbon platform as Prometheus scrapes it, over time: Istio-meshed services, the Envoy
// clusters their callers keep, Kong, Kafka with kafka_exporter and broker JMX, and the platform's
// own event and cache metrics. Healthy by default; a scenario changes what its incident changes,
// from its onset, and the series follow as the real exporters would emit them.

import { deployment } from "../../build.config";
import { metrics as m } from "../../catalogue/metrics";
import { thresholds } from "../../catalogue/thresholds";
import { counterOf, gaugeOf, histogramOf, latency, SCRAPE_SECONDS, type At, type Series } from "./series";

export const always =
  <T>(value: T): At<T> =>
  () =>
    value;
/** `before` until `onsetSeconds`, then `after`. */
export const from =
  <T>(onsetSeconds: number, before: T, after: T): At<T> =>
  (t) =>
    t < onsetSeconds ? before : after;

/** A scrape target's state: answering, failing its scrapes (`up` 0), or gone from discovery. */
export type TargetState = "up" | "down" | "gone";

export interface MeshService {
  readonly namespace: string;
  readonly name: string;
  /** Requests/s the callers (the ingress gateway) send. */
  readonly requestsPerSecond: At<number>;
  /** Share the service itself answers with 500. */
  readonly appErrorRatio: At<number>;
  /** Share the callers' proxies answer with 503 themselves (timeouts, failed connections), never reaching the service. */
  readonly proxyErrorRatio: At<number>;
  /** Envoy's flags on those 503s: "UF,URX" (connections failed, retries exhausted), "UO" (overflow). */
  readonly proxyErrorFlags: string;
  /** Whether the service has ready endpoints; without, callers get 503 UH and the service reports nothing. */
  readonly endpoints: At<boolean>;
  readonly p99Ms: At<number>;
  /** Share received without mTLS (a client without sidecar). */
  readonly plaintextRatio: At<number>;
}

export interface EnvoyCluster {
  readonly service: string;
  readonly requestsPerSecond: At<number>;
  readonly retryRatio: At<number>;
  readonly overflowPerSecond: At<number>;
  /** The pending-request breaker's gauge at each scrape. */
  readonly breakerOpen: At<boolean>;
  readonly ejectedHosts: At<number>;
}

/** Kong's rates are per Kong service (ingestion-api, query-api), spread over the nodes. */
export interface Kong {
  /** One state per Kong node. */
  readonly nodes: readonly At<TargetState>[];
  /** The prometheus plugin's status_code_metrics option. */
  readonly statusCodeMetrics: At<boolean>;
  readonly requestsPerSecond: At<number>;
  readonly authFailuresPerSecond: At<number>;
  readonly rateLimitedPerSecond: At<number>;
  readonly datastoreReachable: At<boolean>;
  readonly cacheHitRatio: At<number>;
}

export interface Kafka {
  /** One state per broker (kafka-0..n). */
  readonly brokers: readonly At<TargetState>[];
  /** kafka_exporter: serving, gone, or serving the values it had when it froze. */
  readonly exporter: At<"up" | "gone" | "frozen">;
  readonly messagesPerSecond: At<number>;
  /** Messages behind per partition of carbon-ingestion-workers on carbon.data.ingestion (-1: never committed). */
  readonly ingestionLag: (partition: number) => At<number>;
  /** Under-replicated partitions led by broker i. */
  readonly underReplicated: (broker: number) => At<number>;
  /** What every KRaft controller reports as offline partitions. */
  readonly offlinePartitions: At<number>;
}

export interface PlatformEvents {
  readonly deliveredPerSecond: number;
  readonly failedPerSecond: number;
  /**
   * "from-start": the failed series exists at 0 from start-up (the emitter contract);
   * "lazy": created on the first failure, already counting it.
   */
  readonly failedSeries: "from-start" | "lazy";
}

export interface Platform {
  readonly minutes: number;
  readonly services: readonly MeshService[];
  readonly clusters: readonly EnvoyCluster[];
  /** Envoy cluster stats included by proxyStatsMatcher. */
  readonly envoyStats: At<boolean>;
  readonly kong: Kong;
  readonly kafka: Kafka;
  readonly events: At<PlatformEvents | undefined>;
  /** The platform's Kong cache-logging plugin. */
  readonly cacheMetrics: At<boolean>;
}

const service = (name: string, requestsPerSecond: number): MeshService => ({
  namespace: "carbon",
  name,
  requestsPerSecond: always(requestsPerSecond),
  appErrorRatio: always(0.002),
  proxyErrorRatio: always(0),
  proxyErrorFlags: "UF,URX",
  endpoints: always(true),
  p99Ms: always(180),
  plaintextRatio: always(0),
});

const cluster = (name: string, requestsPerSecond: number): EnvoyCluster => ({
  service: name,
  requestsPerSecond: always(requestsPerSecond),
  retryRatio: always(0.01),
  overflowPerSecond: always(0),
  breakerOpen: always(false),
  ejectedHosts: always(0),
});

/** A healthy platform for `minutes`; scenarios spread it and replace what their incident changes. */
export function healthy(minutes: number): Platform {
  return {
    minutes,
    services: [service("ingestion-api", 20), service("query-api", 8)],
    clusters: [cluster("ingestion-api", 20), cluster("query-api", 8)],
    envoyStats: always(true),
    kong: {
      nodes: [always<TargetState>("up"), always<TargetState>("up")],
      statusCodeMetrics: always(true),
      requestsPerSecond: always(12),
      authFailuresPerSecond: always(0.4),
      rateLimitedPerSecond: always(0.1),
      datastoreReachable: always(true),
      cacheHitRatio: always(0.8),
    },
    kafka: {
      brokers: Array.from({ length: thresholds.kafkaExpectedBrokers.value }, () => always<TargetState>("up")),
      exporter: always("up"),
      messagesPerSecond: always(40),
      ingestionLag: () => always(120),
      underReplicated: () => always(0),
      offlinePartitions: always(0),
    },
    events: always({ deliveredPerSecond: 12, failedPerSecond: 0, failedSeries: "from-start" }),
    cacheMetrics: always(true),
  };
}

// ---------------------------------------------------------------- series

const when = (on: boolean, value: number) => (on ? value : undefined);

function meshSeries(p: Platform): Series[] {
  const out: Series[] = [];
  for (const s of p.services) {
    const caller = { reporter: "source", source_workload: "istio-ingressgateway", source_workload_namespace: "istio-system" } as const;
    const dest = { destination_service_name: s.name, destination_service_namespace: s.namespace, destination_workload: `${s.name}-v1`, destination_workload_namespace: s.namespace };
    const up = s.endpoints;
    const ok = (t: number) => s.requestsPerSecond(t) * (1 - s.appErrorRatio(t) - s.proxyErrorRatio(t));
    const c = (labels: Record<string, string>, rate: At<number | undefined>) =>
      counterOf(m.istio_requests_total, { ...caller, ...dest, connection_security_policy: "mutual_tls", ...labels }, rate, p.minutes);
    // What the callers' proxies report: every request, whatever happened to it.
    out.push(
      c({ response_code: "200", response_flags: "-" }, (t) => (up(t) ? ok(t) : 0)),
      c({ response_code: "500", response_flags: "-" }, (t) => (up(t) ? s.requestsPerSecond(t) * s.appErrorRatio(t) : 0)),
      c({ response_code: "503", response_flags: s.proxyErrorFlags }, (t) => (up(t) ? s.requestsPerSecond(t) * s.proxyErrorRatio(t) : 0)),
      c({ response_code: "503", response_flags: "UH", destination_workload: "unknown" }, (t) => (up(t) ? 0 : s.requestsPerSecond(t))),
    );
    // What the service's own proxy reports: only requests that reached it, gone with its pods.
    const d = (labels: Record<string, string>, rate: At<number>) =>
      counterOf(m.istio_requests_total, { ...caller, ...dest, reporter: "destination", response_flags: "-", ...labels }, (t) => when(up(t), rate(t)), p.minutes);
    out.push(
      d({ response_code: "200", connection_security_policy: "mutual_tls" }, (t) => ok(t) * (1 - s.plaintextRatio(t))),
      d({ response_code: "200", connection_security_policy: "none" }, (t) => ok(t) * s.plaintextRatio(t)),
      d({ response_code: "500", connection_security_policy: "mutual_tls" }, (t) => s.requestsPerSecond(t) * s.appErrorRatio(t)),
    );
    out.push(
      ...histogramOf(
        m.istio_request_duration_milliseconds,
        { ...caller, ...dest, reporter: "destination", response_code: "200", connection_security_policy: "mutual_tls" },
        [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
        (t) => when(up(t), ok(t)),
        (t) => ({ shareAtOrBelow: latency(s.p99Ms(t)), mean: s.p99Ms(t) / 3 }),
        p.minutes,
      ),
    );
  }
  return out;
}

function envoySeries(p: Platform): Series[] {
  const out: Series[] = [];
  for (const c of p.clusters) {
    const labels = { cluster_name: `outbound|8080||${c.service}.carbon.svc.cluster.local`, namespace: "istio-system", pod: "istio-ingressgateway-5d9c7-8xk2p" };
    const on = p.envoyStats;
    const g = (metric: Parameters<typeof gaugeOf>[0], value: At<number>) => gaugeOf(metric, labels, (t) => when(on(t), value(t)), p.minutes);
    const k = (metric: Parameters<typeof counterOf>[0], rate: At<number>) => counterOf(metric, labels, (t) => when(on(t), rate(t)), p.minutes);
    out.push(
      k(m.envoy_cluster_upstream_rq_total, (t) => c.requestsPerSecond(t) * (1 + c.retryRatio(t))),
      k(m.envoy_cluster_upstream_rq_retry, (t) => c.requestsPerSecond(t) * c.retryRatio(t)),
      k(m.envoy_cluster_upstream_rq_pending_overflow, c.overflowPerSecond),
      g(m.envoy_cluster_circuit_breakers_default_cx_open, always(0)),
      g(m.envoy_cluster_circuit_breakers_default_rq_open, always(0)),
      g(m.envoy_cluster_circuit_breakers_default_rq_pending_open, (t) => (c.breakerOpen(t) ? 1 : 0)),
      g(m.envoy_cluster_outlier_detection_ejections_active, c.ejectedHosts),
      g(m.envoy_cluster_upstream_cx_active, always(12)),
    );
  }
  return out;
}

function kongSeries(p: Platform): Series[] {
  const k = p.kong;
  const out: Series[] = [];
  k.nodes.forEach((state, i) => {
    const target = { job: String(deployment.scrapeTargets.kong.job), instance: `10.0.3.${10 + i}:8100`, pod: `kong-7f6d5-${i}` };
    out.push(gaugeOf(m.up, target, (t) => ({ up: 1, down: 0, gone: undefined })[state(t)], p.minutes));
    const scraped = (t: number) => state(t) === "up";
    const share = 1 / k.nodes.length;
    for (const svc of ["ingestion-api", "query-api"]) {
      const route = { ...target, service: svc, route: `${svc}-route`, workspace: "default" };
      const perService = (rate: At<number>) => (t: number) => rate(t) * share;
      const codes = (t: number) => scraped(t) && k.statusCodeMetrics(t);
      const req = (code: string, source: string, rate: At<number>) =>
        counterOf(m.kong_http_requests_total, { ...route, code, source, consumer: "ingestion-client" }, (t) => when(codes(t), perService(rate)(t)), p.minutes);
      out.push(
        req("200", "service", k.requestsPerSecond),
        req("401", "kong", k.authFailuresPerSecond),
        req("429", "kong", k.rateLimitedPerSecond),
        ...histogramOf(m.kong_request_latency_ms, route, [10, 50, 100, 500, 1000, 5000], (t) => when(scraped(t), perService(k.requestsPerSecond)(t)), always({ shareAtOrBelow: latency(120), mean: 40 }), p.minutes),
        ...histogramOf(m.kong_upstream_latency_ms, route, [10, 50, 100, 500, 1000, 5000], (t) => when(scraped(t), perService(k.requestsPerSecond)(t)), always({ shareAtOrBelow: latency(100), mean: 35 }), p.minutes),
        counterOf(m.kong_bandwidth_bytes, { ...route, direction: "ingress", consumer: "ingestion-client" }, (t) => when(scraped(t), perService(k.requestsPerSecond)(t) * 2000), p.minutes),
        counterOf(m.kong_bandwidth_bytes, { ...route, direction: "egress", consumer: "ingestion-client" }, (t) => when(scraped(t), perService(k.requestsPerSecond)(t) * 8000), p.minutes),
      );
      const cache = (status: string, rate: At<number>) =>
        counterOf(m.carbon_gateway_cache_responses_total, { ...target, service: svc, route: `${svc}-route`, cache_status: status }, (t) => when(scraped(t) && p.cacheMetrics(t), perService(rate)(t)), p.minutes);
      out.push(
        cache("Hit", (t) => 6 * k.cacheHitRatio(t)),
        cache("Miss", (t) => 6 * (1 - k.cacheHitRatio(t))),
        cache("Bypass", always(2)),
        cache("Refresh", always(0)),
      );
    }
    out.push(
      gaugeOf(m.kong_datastore_reachable, target, (t) => when(scraped(t), k.datastoreReachable(t) ? 1 : 0), p.minutes),
      gaugeOf(m.kong_nginx_connections_total, { ...target, node_id: `kong-node-${i}`, subsystem: "http", state: "active" }, (t) => when(scraped(t), 40), p.minutes),
      ...["healthy", "unhealthy", "dns_error", "healthchecks_off"].map((health) =>
        gaugeOf(
          m.kong_upstream_target_health,
          { ...target, upstream: "ingestion-api-upstream", target: "10.0.1.15:8080", address: "10.0.1.15:8080", state: health, subsystem: "http" },
          (t) => when(scraped(t), health === "healthy" ? 1 : 0),
          p.minutes,
        ),
      ),
    );
  });
  return out;
}

const topics = ["carbon.data.ingestion", "carbon.audit.events"];
const partitions = [0, 1, 2];

function kafkaSeries(p: Platform): Series[] {
  const k = p.kafka;
  const out: Series[] = [];
  const brokersUp = (t: number) => k.brokers.filter((b) => b(t) === "up").length;
  const clusterUp = (t: number) => brokersUp(t) > 0;
  const selector = deployment.scrapeTargets.kafkaBrokers;

  k.brokers.forEach((state, i) => {
    const pod = `carbon-kafka-${i}`;
    const target = { job: String(selector.job), instance: `10.0.2.${10 + i}:9404`, namespace: "kafka", pod };
    out.push(gaugeOf(m.up, target, (t) => ({ up: 1, down: 0, gone: undefined })[state(t)], p.minutes));
    const jmx = (t: number) => state(t) === "up";
    const perBroker = (t: number) => k.messagesPerSecond(t) / Math.max(1, brokersUp(t));
    for (const topic of topics) {
      out.push(
        counterOf(m.kafka_server_brokertopicmetrics_messagesin_total, { ...target, topic }, (t) => when(jmx(t), perBroker(t) / topics.length), p.minutes),
        counterOf(m.kafka_server_brokertopicmetrics_failedproducerequests_total, { ...target, topic }, (t) => when(jmx(t), 0), p.minutes),
        ...partitions.map((partition) => gaugeOf(m.kafka_log_log_size, { ...target, topic, partition: String(partition) }, (t) => when(jmx(t), 5e8 + t * 1000), p.minutes)),
      );
    }
    // The broker-wide total, without `topic`.
    out.push(counterOf(m.kafka_server_brokertopicmetrics_messagesin_total, target, (t) => when(jmx(t), perBroker(t)), p.minutes));
    out.push(gaugeOf(m.kafka_server_replicamanager_underreplicatedpartitions, target, (t) => when(jmx(t), k.underReplicated(i)(t)), p.minutes));
    // KRaft combined mode: every node is a controller and reports the cluster's count.
    out.push(gaugeOf(m.kafka_controller_kafkacontroller_offlinepartitionscount, target, (t) => when(jmx(t), k.offlinePartitions(t)), p.minutes));
  });

  // kafka_exporter: its view of the cluster, or the values it froze with.
  const exporter = { job: String(selector.job), instance: "10.0.2.30:9308", namespace: "kafka", pod: "carbon-kafka-exporter-6b8d9-2kq4z" };
  const frozenAt = (() => {
    for (let t = 0; t <= p.minutes * 60; t += SCRAPE_SECONDS) if (k.exporter(t) === "frozen") return t;
    return Infinity;
  })();
  const view = (value: At<number>) => (t: number) => {
    const mode = k.exporter(t);
    if (mode === "gone" || !clusterUp(Math.min(t, frozenAt))) return undefined;
    return value(Math.min(t, frozenAt));
  };
  out.push(gaugeOf(m.kafka_brokers, exporter, view(brokersUp), p.minutes));
  const perPartition = (t: number) => k.messagesPerSecond(t) / (topics.length * partitions.length);
  for (const topic of topics)
    for (const partition of partitions) {
      const labels = { ...exporter, topic, partition: String(partition) };
      out.push(
        gaugeOf(m.kafka_topic_partition_current_offset, labels, view((t) => Math.round(1e6 + perPartition(0) * t)), p.minutes),
        gaugeOf(m.kafka_topic_partition_oldest_offset, labels, view(always(1000)), p.minutes),
      );
    }
  for (const partition of partitions) {
    out.push(
      gaugeOf(m.kafka_consumergroup_lag, { ...exporter, consumergroup: "carbon-ingestion-workers", topic: "carbon.data.ingestion", partition: String(partition) }, view(k.ingestionLag(partition)), p.minutes),
      gaugeOf(m.kafka_consumergroup_lag, { ...exporter, consumergroup: "carbon-audit-sink", topic: "carbon.audit.events", partition: String(partition) }, view(always(15)), p.minutes),
    );
  }
  return out;
}

function platformSeries(p: Platform): Series[] {
  const out: Series[] = [];
  const producers = [
    { producer: "ingestion-api", event_family: "data", event_type: "data_ingestion", topic: "carbon.data.ingestion", consumer: "lineage-worker" },
    { producer: "audit-service", event_family: "audit", event_type: "user_action", topic: "carbon.audit.events", consumer: "audit-sink" },
    { producer: "platform-health", event_family: "system", event_type: "service_health", topic: "carbon.system.health", consumer: "health-monitor" },
  ] as const;
  for (const { consumer, ...labels } of producers) {
    const target = { pod: `${labels.producer}-7c9f-abc12` };
    const events = p.events;
    out.push(counterOf(m.carbon_events_produced_total, { ...target, ...labels, outcome: "delivered" }, (t) => events(t)?.deliveredPerSecond, p.minutes));
    // Failures hit the data producer only.
    const failed = (t: number) => {
      const e = events(t);
      return e && (labels.producer === "ingestion-api" ? e.failedPerSecond : 0);
    };
    const failedLabels = { ...target, ...labels, outcome: "failed" } as const;
    if (events(0)?.failedSeries === "lazy") {
      // Created by the first failure, already counting the failures since the last scrape.
      let first = Infinity;
      for (let t = 0; t <= p.minutes * 60; t += SCRAPE_SECONDS) if ((failed(t) ?? 0) > 0) { first = t; break; }
      out.push(counterOf(m.carbon_events_produced_total, failedLabels, (t) => (t < first ? undefined : failed(t)), p.minutes, { startAt: (failed(first) ?? 0) * SCRAPE_SECONDS }));
    } else {
      out.push(counterOf(m.carbon_events_produced_total, failedLabels, failed, p.minutes));
    }
    out.push(
      ...histogramOf(
        m.carbon_event_processing_duration_seconds,
        { pod: `${consumer}-5f7d-xyz89`, consumer, event_family: labels.event_family, event_type: labels.event_type, topic: labels.topic },
        [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
        (t) => events(t)?.deliveredPerSecond,
        always({ shareAtOrBelow: latency(2), mean: 0.6 }),
        p.minutes,
      ),
    );
  }
  return out;
}

/** Every series the platform exposes over the scenario. */
export function platformSeriesOf(p: Platform): Series[] {
  return [...meshSeries(p), ...envoySeries(p), ...kongSeries(p), ...kafkaSeries(p), ...platformSeries(p)];
}
