// Incidents as an SRE lives them, written as what changes in the platform from the onset (after
// healthy traffic), not as the series an alert wants. Each says which alerts must fire and how
// fast (time to detect, from onset to firing), which may also fire as a consequence, and implicitly
// that every other alert stays silent. Run with promtool by incidents.test.ts; docs/incidents.md
// is generated from this file and the measured times.

import { eventAlerts as e, gatewayAlerts as g, meshAlerts as mesh } from "../../alerts/index";
import type { SourceId } from "../../catalogue/metrics";
import type { AnyAlert } from "../../src/kit/alert";
import { always, from, healthy, type Platform, type TargetState } from "./platform";
import { SCRAPE_SECONDS } from "./series";

export interface Detection {
  readonly alert: AnyAlert;
  /** Time-to-detect target, minutes from onset to firing. */
  readonly withinMinutes: number;
  /** Labels the firing alert must carry (which service, topic...). */
  readonly labels?: Readonly<Record<string, string>>;
  /** What its description must say. */
  readonly description?: RegExp;
  /** The alert whose Alertmanager inhibition keeps it from notifying while both fire. */
  readonly inhibitedBy?: AnyAlert;
}

export interface Consequence {
  readonly alert: AnyAlert;
  /** Why it fires too. */
  readonly why: string;
  /** The alert whose Alertmanager inhibition keeps it from notifying, if any. */
  readonly inhibitedBy?: AnyAlert;
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** What happens, as seen from outside. */
  readonly incident: string;
  readonly onsetMinutes: number;
  readonly minutes: number;
  readonly platform: Platform;
  /** The same platform without the incident: what every other cluster runs in cluster mode. */
  readonly withoutIncident: Platform;
  /** Sources declared absent here; everything else is deployed. */
  readonly absentSources?: readonly SourceId[];
  readonly fires: readonly Detection[];
  readonly consequences?: readonly Consequence[];
}

const ONSET = 15;

interface Draft extends Omit<Scenario, "onsetMinutes" | "minutes" | "platform" | "withoutIncident"> {
  /** Minutes after the onset the scenario runs on (default 25). */
  readonly after?: number;
  /** The platform from the onset; `at(before, after)` switches a value at the onset. */
  readonly change: (healthy: Platform, at: <T>(before: T, after: T) => (t: number) => T, onsetSeconds: number) => Platform;
}

function scenario(draft: Draft): Scenario {
  const { after = 25, change, ...rest } = draft;
  const minutes = ONSET + after;
  const onset = ONSET * 60;
  return { ...rest, onsetMinutes: ONSET, minutes, platform: change(healthy(minutes), (b, a) => from(onset, b, a), onset), withoutIncident: healthy(minutes) };
}

const ingestion = { destination_service_name: "ingestion-api", destination_service_namespace: "carbon" } as const;
const withService = (p: Platform, name: string, change: (s: Platform["services"][number]) => Partial<Platform["services"][number]>): Platform => ({
  ...p,
  services: p.services.map((s) => (s.name === name ? { ...s, ...change(s) } : s)),
});
const withCluster = (p: Platform, name: string, change: Partial<Platform["clusters"][number]>): Platform => ({
  ...p,
  clusters: p.clusters.map((c) => (c.service === name ? { ...c, ...change } : c)),
});

export const scenarios: readonly Scenario[] = [
  scenario({
    id: "service-down",
    title: "Service fully down",
    incident:
      "ingestion-api's pods crash-loop: no endpoint is ready. Callers' sidecars answer every request with 503 UH themselves; nothing reaches a destination proxy, whose series vanish with the pods.",
    change: (p, at) => withService(p, "ingestion-api", () => ({ endpoints: at(true, false) })),
    fires: [{ alert: mesh.serviceUnreachable, withinMinutes: 5, labels: ingestion }],
    consequences: [{ alert: mesh.serviceErrorsSeenByCallers, why: "every request the callers send fails with 503", inhibitedBy: mesh.serviceUnreachable }],
  }),
  scenario({
    id: "traffic-stopped",
    title: "Service lost all traffic",
    incident: "The ingress route to query-api is deleted by a bad deploy: callers stop sending anything; no errors anywhere, just silence.",
    change: (p, at) =>
      withCluster(
        withService(p, "query-api", () => ({ requestsPerSecond: at(8, 0) })),
        "query-api",
        { requestsPerSecond: at(8, 0) },
      ),
    fires: [{ alert: mesh.serviceTrafficStopped, withinMinutes: 7, labels: { destination_service_name: "query-api", destination_service_namespace: "carbon" } }],
  }),
  scenario({
    id: "errors-6pct-service",
    title: "6 % errors answered by the service",
    incident: "A bad release of ingestion-api answers 6 % of requests with 500; its own proxy and its callers' proxies both see them.",
    change: (p, at) => withService(p, "ingestion-api", () => ({ appErrorRatio: at(0.002, 0.06) })),
    fires: [
      { alert: mesh.highServiceErrorRate, withinMinutes: 7, labels: ingestion },
      { alert: mesh.serviceErrorsSeenByCallers, withinMinutes: 7, labels: ingestion, inhibitedBy: mesh.highServiceErrorRate },
    ],
  }),
  scenario({
    id: "errors-4pct-service",
    title: "4 % errors answered by the service (below the objective)",
    incident: "ingestion-api answers 4 % of requests with 500: bad, but under the 5 % threshold; nothing may page.",
    change: (p, at) => withService(p, "ingestion-api", () => ({ appErrorRatio: at(0.002, 0.04) })),
    fires: [],
  }),
  scenario({
    id: "errors-6pct-callers",
    title: "6 % errors seen only by callers",
    incident:
      "Connections to one of ingestion-api's pods fail (node network fault): callers' proxies answer 6 % of requests with 503 UF,URX themselves. The service's own proxy sees nothing wrong.",
    change: (p, at) => withService(p, "ingestion-api", () => ({ proxyErrorRatio: at(0, 0.06) })),
    fires: [{ alert: mesh.serviceErrorsSeenByCallers, withinMinutes: 7, labels: ingestion }],
  }),
  scenario({
    id: "errors-4pct-callers",
    title: "4 % errors seen only by callers (below the objective)",
    incident: "Callers' proxies answer 4 % of requests to ingestion-api with 503 UF,URX: under the threshold.",
    change: (p, at) => withService(p, "ingestion-api", () => ({ proxyErrorRatio: at(0, 0.04) })),
    fires: [],
  }),
  scenario({
    id: "circuit-breaking",
    title: "Intermittent circuit breaking",
    incident:
      "ingestion-api is saturated: the callers' pending-request breaker is open every other scrape and 100 requests a minute overflow, answered 503 UO by the callers' proxies.",
    change: (p, at, onset) =>
      withService(
        withCluster(p, "ingestion-api", {
          breakerOpen: (t) => t >= onset && Math.floor(t / SCRAPE_SECONDS) % 2 === 0,
          overflowPerSecond: at(0, 100 / 60),
        }),
        "ingestion-api",
        () => ({ proxyErrorRatio: at(0, 100 / 60 / 20), proxyErrorFlags: "UO" }),
      ),
    fires: [{ alert: mesh.circuitBreakerTriggered, withinMinutes: 5, labels: { namespace: "istio-system", cluster_name: "outbound|8080||ingestion-api.carbon.svc.cluster.local" } }],
    consequences: [{ alert: mesh.serviceErrorsSeenByCallers, why: "overflowed requests are 503 UO for the callers (8 %)" }],
  }),
  scenario({
    id: "retry-storm",
    title: "Retry storm",
    incident: "query-api times out intermittently and the ingress gateway's retry policy retries 30 % of requests to it.",
    change: (p, at) => withCluster(p, "query-api", { retryRatio: at(0.01, 0.3) }),
    fires: [{ alert: mesh.highRetryRate, withinMinutes: 7, labels: { cluster_name: "outbound|8080||query-api.carbon.svc.cluster.local", namespace: "istio-system" } }],
  }),
  scenario({
    id: "slow-service",
    title: "Slow service",
    incident: "query-api's database is overloaded: its p99 latency goes from 180 ms to 2 s.",
    change: (p, at) => withService(p, "query-api", () => ({ p99Ms: at(180, 2000) })),
    fires: [{ alert: mesh.highServiceLatency, withinMinutes: 15, labels: { destination_service_name: "query-api", destination_service_namespace: "carbon" } }],
  }),
  scenario({
    id: "plaintext-client",
    title: "Plaintext client in a STRICT mesh",
    incident: "A batch job without sidecar calls query-api directly: 10 % of its requests arrive without mTLS.",
    change: (p, at) => withService(p, "query-api", () => ({ plaintextRatio: at(0, 0.1) })),
    fires: [{ alert: mesh.plaintextTrafficInMesh, withinMinutes: 7, labels: { destination_service_name: "query-api", destination_service_namespace: "carbon" } }],
  }),
  scenario({
    id: "envoy-stats-off",
    title: "Envoy stats not enabled",
    incident: "A mesh config rollout drops proxyStatsMatcher: sidecars stop exposing Envoy cluster stats; breaker and retry alerts go blind.",
    change: (p, at) => ({ ...p, envoyStats: at(true, false) }),
    fires: [{ alert: mesh.envoyClusterStatsMissing, withinMinutes: 17 }],
  }),
  scenario({
    id: "kong-down",
    title: "Kong down",
    incident: "Both Kong nodes crash-loop after a bad plugin config: Prometheus's scrapes of them fail.",
    change: (p, at) => ({ ...p, kong: { ...p.kong, nodes: p.kong.nodes.map(() => at<TargetState>("up", "down")) } }),
    fires: [{ alert: g.kongDown, withinMinutes: 5 }],
  }),
  scenario({
    id: "kong-no-status-metrics",
    title: "Kong without status_code_metrics",
    incident: "The prometheus plugin is re-applied without status_code_metrics: Kong runs, but kong_http_requests_total disappears.",
    change: (p, at) => ({ ...p, kong: { ...p.kong, statusCodeMetrics: at(true, false) } }),
    fires: [{ alert: g.kongStatusMetricsMissing, withinMinutes: 17 }],
  }),
  scenario({
    id: "auth-storm-12",
    title: "Authentication failure storm (12/s)",
    incident: "A client keeps sending an expired JWT: Kong answers 12 requests/s with 401 on each service.",
    change: (p, at) => ({ ...p, kong: { ...p.kong, authFailuresPerSecond: at(0.4, 12) } }),
    fires: [{ alert: g.highAuthenticationFailureRate, withinMinutes: 7, labels: { service: "ingestion-api" } }],
  }),
  scenario({
    id: "auth-storm-8",
    title: "Authentication failures at 8/s (below the threshold)",
    incident: "Kong answers 8 requests/s with 401 per service: noisy, under the 10/s threshold.",
    change: (p, at) => ({ ...p, kong: { ...p.kong, authFailuresPerSecond: at(0.4, 8) } }),
    fires: [],
  }),
  scenario({
    id: "rate-limited",
    title: "Rate limiting blocks a client",
    incident: "A runaway client hits its rate limit: Kong answers 5 requests/s per service with 429.",
    change: (p, at) => ({ ...p, kong: { ...p.kong, rateLimitedPerSecond: at(0.1, 5) } }),
    fires: [{ alert: g.rateLimitThresholdReached, withinMinutes: 10, labels: { service: "query-api" } }],
  }),
  scenario({
    id: "cache-cold",
    title: "Gateway cache ineffective",
    incident: "A config change sets the proxy-cache TTL to 1 s: only 20 % of cacheable responses are hits.",
    change: (p, at) => ({ ...p, kong: { ...p.kong, cacheHitRatio: at(0.8, 0.2) } }),
    fires: [{ alert: g.lowCacheHitRate, withinMinutes: 20, labels: { service: "ingestion-api" } }],
  }),
  scenario({
    id: "kong-datastore",
    title: "Kong loses PostgreSQL",
    incident: "Kong's PostgreSQL fails over and is unreachable: every Kong node reports its datastore down.",
    change: (p, at) => ({ ...p, kong: { ...p.kong, datastoreReachable: at(true, false) } }),
    fires: [{ alert: g.kongDatastoreUnreachable, withinMinutes: 5 }],
  }),
  scenario({
    id: "broker-down",
    title: "One Kafka broker down",
    incident: "carbon-kafka-1 dies (node failure): its scrape fails; the other brokers lead partitions that lost a replica.",
    change: (p, at, onset) => ({
      ...p,
      kafka: {
        ...p.kafka,
        brokers: p.kafka.brokers.map((b, i) => (i === 1 ? at<TargetState>("up", "down") : b)),
        underReplicated: (i) => (i === 1 ? always(0) : (t) => (t >= onset + 60 ? 12 : 0)),
      },
    }),
    fires: [{ alert: e.kafkaBrokerDown, withinMinutes: 5, description: /^2 of 3 Kafka brokers/ }],
    consequences: [
      { alert: e.kafkaUnderReplicatedPartitions, why: "partitions the dead broker replicated are under-replicated on the others", inhibitedBy: e.kafkaBrokerDown },
    ],
  }),
  scenario({
    id: "kafka-cluster-down",
    title: "Whole Kafka cluster and kafka_exporter gone",
    incident:
      "The Kafka namespace is deleted by mistake: every broker pod and kafka_exporter disappear from discovery; producers fail every delivery.",
    change: (p, at) => ({
      ...p,
      kafka: { ...p.kafka, brokers: p.kafka.brokers.map(() => at<TargetState>("up", "gone")), exporter: at<"up" | "gone">("up", "gone") },
      events: at(p.events(0), { deliveredPerSecond: 0, failedPerSecond: 12, failedSeries: "from-start" }),
    }),
    fires: [{ alert: e.kafkaClusterDown, withinMinutes: 5 }],
    consequences: [
      { alert: e.kafkaBrokerDown, why: "no broker answers, so fewer than expected do", inhibitedBy: e.kafkaClusterDown },
      { alert: e.kafkaExporterAbsent, why: "kafka_exporter went with the cluster", inhibitedBy: e.kafkaClusterDown },
      { alert: e.failedEventDeliveries, why: "producers cannot deliver anything", inhibitedBy: e.kafkaClusterDown },
    ],
  }),
  scenario({
    id: "exporter-gone",
    title: "kafka_exporter gone",
    incident: "kafka_exporter's deployment is scaled to 0: consumer lag is no longer measured; Kafka itself is fine.",
    change: (p, at) => ({ ...p, kafka: { ...p.kafka, exporter: at<"up" | "gone">("up", "gone") } }),
    fires: [{ alert: e.kafkaExporterAbsent, withinMinutes: 12 }],
  }),
  scenario({
    id: "exporter-stalled",
    title: "kafka_exporter stalled",
    incident: "kafka_exporter's Kafka client hangs: it keeps serving the values it had, while the brokers keep taking writes.",
    change: (p, at) => ({ ...p, kafka: { ...p.kafka, exporter: at<"up" | "frozen">("up", "frozen") } }),
    fires: [{ alert: e.kafkaExporterStalled, withinMinutes: 12 }],
  }),
  scenario({
    id: "consumer-lag",
    title: "Consumer lag on one partition, others never committed",
    incident:
      "carbon-ingestion-workers stops consuming partition 0 of carbon.data.ingestion (50 messages/s pile up); partitions 1 and 2 are new and the group never committed on them, so kafka_exporter reports -1 there.",
    change: (p, _at, onset) => ({
      ...p,
      kafka: { ...p.kafka, ingestionLag: (partition) => (partition === 0 ? (t) => (t < onset ? 120 : 120 + (t - onset) * 50) : always(-1)) },
    }),
    fires: [{ alert: e.highConsumerLag, withinMinutes: 15, labels: { consumergroup: "carbon-ingestion-workers", topic: "carbon.data.ingestion" } }],
  }),
  scenario({
    id: "failed-delivery-burst",
    title: "Burst of 500 failed deliveries",
    incident: "A broker's leader election makes ingestion-api's producer fail 500 deliveries within one scrape interval, then recover.",
    change: (p, _at, onset) => ({
      ...p,
      events: (t) => ({ deliveredPerSecond: 12, failedPerSecond: t >= onset && t < onset + SCRAPE_SECONDS ? 500 / SCRAPE_SECONDS : 0, failedSeries: "from-start" }),
    }),
    fires: [{ alert: e.failedEventDeliveries, withinMinutes: 2, labels: { producer: "ingestion-api", topic: "carbon.data.ingestion" } }],
  }),
  scenario({
    id: "failed-delivery-burst-lazy",
    title: "Burst of 500 failed deliveries, failed series created lazily",
    incident:
      "As above, from a service on an old library version that creates the outcome=\"failed\" series on the first failure: it appears already at 500.",
    change: (p, _at, onset) => ({
      ...p,
      events: (t) => ({ deliveredPerSecond: 12, failedPerSecond: t >= onset && t < onset + SCRAPE_SECONDS ? 500 / SCRAPE_SECONDS : 0, failedSeries: "lazy" }),
    }),
    fires: [{ alert: e.failedEventDeliveries, withinMinutes: 2, labels: { producer: "ingestion-api", topic: "carbon.data.ingestion" } }],
  }),
  scenario({
    id: "under-replicated",
    title: "Under-replicated partitions",
    incident: "A follower's disk slows down: carbon-kafka-0 leads 5 partitions whose follower fell out of the ISR.",
    change: (p, at) => ({ ...p, kafka: { ...p.kafka, underReplicated: (i) => (i === 0 ? at(0, 5) : always(0)) } }),
    fires: [{ alert: e.kafkaUnderReplicatedPartitions, withinMinutes: 12, labels: { pod: "carbon-kafka-0" } }],
  }),
  scenario({
    id: "kraft-offline-partitions",
    title: "KRaft offline partitions",
    incident: "4 partitions lose every in-sync replica; each of the 3 KRaft controllers reports OfflinePartitionsCount 4.",
    change: (p, at) => ({ ...p, kafka: { ...p.kafka, offlinePartitions: at(0, 4) } }),
    fires: [{ alert: e.kafkaOfflinePartitions, withinMinutes: 5, description: /^4 Kafka partitions/ }],
  }),
  scenario({
    id: "platform-emitters-missing",
    title: "Platform emitters missing",
    incident:
      "A release of the event libraries drops their metrics and the Kong cache-logging plugin is removed: carbon_events_produced_total and carbon_gateway_cache_responses_total disappear.",
    change: (p, at) => ({ ...p, events: (t) => (at(true, false)(t) ? p.events(t) : undefined), cacheMetrics: at(true, false) }),
    fires: [
      { alert: e.platformEventMetricsMissing, withinMinutes: 17 },
      { alert: g.gatewayCacheMetricsMissing, withinMinutes: 17 },
    ],
  }),
];

/** One hour of normal traffic on every metric: nothing may fire. */
export const healthyBaseline: Scenario = {
  id: "healthy-baseline",
  title: "Healthy baseline",
  incident: "One hour of normal traffic on every metric.",
  onsetMinutes: 60,
  minutes: 60,
  platform: healthy(60),
  withoutIncident: healthy(60),
  fires: [],
};

/** The same hour as deployed today: sources build.config.ts declares absent send nothing, and nothing fires. */
export function deployedBaseline(absentSources: readonly SourceId[]): Scenario {
  const healthyHour = healthy(60);
  const platform: Platform = {
    ...healthyHour,
    events: absentSources.includes("platform-events") ? always(undefined) : healthyHour.events,
    cacheMetrics: always(!absentSources.includes("platform-gateway-cache")),
  };
  return {
    ...healthyBaseline,
    id: "healthy-baseline-as-deployed",
    title: "Healthy baseline, as deployed",
    incident: `One hour of normal traffic with the sources build.config.ts declares absent (${absentSources.join(", ")}) sending nothing.`,
    absentSources,
    platform,
    withoutIncident: platform,
  };
}
