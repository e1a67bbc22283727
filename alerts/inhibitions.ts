// No alert storms: what a big outage makes fire as a consequence is inhibited by the alert that
// names the cause. Compiled to an alertmanager.yml fragment and an AlertmanagerConfig; proven on
// a real Alertmanager with each incident scenario's firing alerts (test/incidents).

import { inhibition, type InhibitionDef } from "../src/kit/inhibition";
import { eventAlerts as e } from "./event-system";
import { gatewayAlerts as g } from "./api-gateway";
import { meshAlerts as mesh } from "./service-mesh";

const sameService = ["destination_service_namespace", "destination_service_name"];

export const inhibitions: readonly InhibitionDef[] = [
  inhibition({
    reason: "A service callers cannot reach errs and slows for everyone: the cause is that it is down.",
    source: mesh.serviceUnreachable,
    targets: [mesh.highServiceErrorRate, mesh.serviceErrorsSeenByCallers, mesh.highServiceLatency],
    equal: sameService,
  }),
  inhibition({
    reason: "Errors the service answers itself are seen by its callers too: one alert per cause.",
    source: mesh.highServiceErrorRate,
    targets: [mesh.serviceErrorsSeenByCallers],
    equal: sameService,
  }),
  inhibition({
    reason: "Without Envoy cluster stats, breaker and retry alerts read nothing.",
    source: mesh.envoyClusterStatsMissing,
    targets: [mesh.circuitBreakerTriggered, mesh.highRetryRate],
    equal: [],
  }),
  inhibition({
    reason: "With Kong down, every other gateway alert is a consequence or reads nothing.",
    source: g.kongDown,
    targets: [
      g.highAuthenticationFailureRate,
      g.rateLimitThresholdReached,
      g.lowCacheHitRate,
      g.kongDatastoreUnreachable,
      g.kongStatusMetricsMissing,
      g.gatewayCacheMetricsMissing,
    ],
    equal: [],
  }),
  inhibition({
    reason: "Without Kong's request metrics, the 401 and 429 alerts read nothing.",
    source: g.kongStatusMetricsMissing,
    targets: [g.highAuthenticationFailureRate, g.rateLimitThresholdReached],
    equal: [],
  }),
  inhibition({
    reason: "Without the platform's cache metric, the hit-rate alert reads nothing.",
    source: g.gatewayCacheMetricsMissing,
    targets: [g.lowCacheHitRate],
    equal: [],
  }),
  inhibition({
    reason: "With the whole Kafka cluster down, per-broker, partition, lag, delivery and exporter alerts are its consequences.",
    source: e.kafkaClusterDown,
    targets: [
      e.kafkaBrokerDown,
      e.kafkaUnderReplicatedPartitions,
      e.kafkaOfflinePartitions,
      e.highConsumerLag,
      e.failedEventDeliveries,
      e.kafkaExporterAbsent,
      e.kafkaExporterStalled,
    ],
    equal: [],
  }),
  inhibition({
    reason: "A broker down leaves the partitions it replicated under-replicated until it returns.",
    source: e.kafkaBrokerDown,
    targets: [e.kafkaUnderReplicatedPartitions],
    equal: [],
  }),
  inhibition({
    reason: "Without kafka_exporter, or with its data frozen, consumer lag is not measured.",
    source: e.kafkaExporterAbsent,
    targets: [e.highConsumerLag, e.kafkaExporterStalled],
    equal: [],
  }),
  inhibition({
    reason: "kafka_exporter's frozen data says nothing about lag.",
    source: e.kafkaExporterStalled,
    targets: [e.highConsumerLag],
    equal: [],
  }),
  inhibition({
    reason: "Without the platform's event metrics, the delivery alert reads nothing.",
    source: e.platformEventMetricsMissing,
    targets: [e.failedEventDeliveries],
    equal: [],
  }),
];
