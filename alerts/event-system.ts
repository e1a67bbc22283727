// Kafka and the platform's event libraries: lag, delivery failures and broker health (seed section 4).

import { metrics as m } from "../catalogue/metrics";
import { quantities as q } from "../catalogue/quantities";
import { thresholds as t } from "../catalogue/thresholds";
import { eventSystem } from "../dashboards/event-system";
import { alert, breaches, formatThreshold, value, type RuleGroupDef } from "../src/kit/alert";
import { absent, and, appearedAboveZero, changes, eq, current, gt, increase, or, rate, sum } from "../src/kit/promql";

/**
 * Failed deliveries in the last 5 minutes, per producer and topic. Emitter contract (catalogue):
 * the `outcome="failed"` series exists at 0 from start-up, so `increase()` sees the first failure.
 * A library that creates it lazily on the first failure shows it already above 0, which
 * `increase()` (two samples needed) misses: the second branch catches such a new series.
 */
const failedDeliveries = or(
  breaches(sum(increase(m.carbon_events_produced_total, { outcome: "failed" }), { by: ["producer", "topic"] }), t.failedEventDeliveriesPerSecond),
  sum(appearedAboveZero(m.carbon_events_produced_total, { outcome: "failed" }, "5m"), { by: ["producer", "topic"] }),
);

/** Brokers take writes, yet no partition offset kafka_exporter reports has moved: its data is frozen. */
const exporterFrozen = and(
  gt(sum(rate(m.kafka_server_brokertopicmetrics_messagesin_total)), 0),
  eq(sum(changes(m.kafka_topic_partition_current_offset)), 0),
  { on: [] },
);

export const eventAlerts = {
  highConsumerLag: alert({
    name: "HighConsumerLag",
    expr: breaches(q.consumerLag(), t.consumerLagMessages),
    for: "10m",
    severity: "warning",
    summary: "A consumer group falls behind on a topic.",
    description: (l) =>
      `Consumer group ${l.consumergroup} is ${value.humanize} messages behind on topic ${l.topic} (threshold ${formatThreshold(t.consumerLagMessages)}).`,
    panel: eventSystem.ref.consumerLag,
    threshold: t.consumerLagMessages,
  }),
  failedEventDeliveries: alert({
    name: "FailedEventDeliveries",
    expr: failedDeliveries,
    for: "1m",
    // A burst of failures is one incident, not one per scrape that sees the counter move.
    keepFiringFor: "10m",
    severity: "warning",
    summary: "Events fail to reach Kafka.",
    description: (l) =>
      `Producer ${l.producer} failed to deliver ${value.humanize} events to topic ${l.topic} in the last 5 minutes; those events are lost unless the service retries them.`,
    panel: eventSystem.ref.failedDeliveries,
    threshold: t.failedEventDeliveriesPerSecond,
  }),
  kafkaClusterDown: alert({
    name: "KafkaClusterDown",
    expr: breaches(q.kafkaBrokersUp(), t.kafkaBrokersUp),
    for: "2m",
    severity: "critical",
    summary: "No Kafka broker answers: the event system is down.",
    description: () =>
      `None of the ${formatThreshold(t.kafkaExpectedBrokers)} Kafka brokers answers Prometheus's scrape (${value.raw} up): producers cannot deliver events and consumers stand still.`,
    // The panel's "brokers up" is red below the expected count, 0 included.
    panel: eventSystem.ref.brokerStatus,
  }),
  kafkaBrokerDown: alert({
    name: "KafkaBrokerDown",
    // From the brokers' own scrape, so it works without kafka_exporter (Strimzi's rules do the same).
    expr: breaches(q.kafkaBrokersUp(), t.kafkaExpectedBrokers),
    for: "2m",
    severity: "critical",
    summary: "A Kafka broker is down.",
    description: () =>
      `${value.raw} of ${formatThreshold(t.kafkaExpectedBrokers)} Kafka brokers answer Prometheus's scrape: a broker is down, restarting, or its metrics endpoint is unreachable.`,
    panel: eventSystem.ref.brokerStatus,
    threshold: t.kafkaExpectedBrokers,
  }),
  kafkaUnderReplicatedPartitions: alert({
    name: "KafkaUnderReplicatedPartitions",
    expr: breaches(current(m.kafka_server_replicamanager_underreplicatedpartitions), t.underReplicatedPartitions),
    for: "10m",
    severity: "warning",
    summary: "Kafka partitions are under-replicated.",
    description: (l) =>
      `Broker ${l.pod} leads ${value.raw} partitions with fewer in-sync replicas than replicas; one more broker loss can make them unavailable.`,
    panel: eventSystem.ref.brokerStatus,
    threshold: t.underReplicatedPartitions,
  }),
  kafkaOfflinePartitions: alert({
    name: "KafkaOfflinePartitions",
    expr: breaches(q.offlinePartitions(), t.offlinePartitions),
    for: "1m",
    severity: "critical",
    summary: "Kafka partitions have no leader.",
    description: () => `${value.raw} Kafka partitions have no active leader: producers and consumers of those partitions are blocked.`,
    panel: eventSystem.ref.brokerStatus,
    threshold: t.offlinePartitions,
  }),
  kafkaExporterAbsent: alert({
    name: "KafkaExporterAbsent",
    guards: "kafka-exporter",
    // Without kafka_exporter, HighConsumerLag cannot fire: say so.
    expr: absent(m.kafka_brokers),
    for: "10m",
    severity: "warning",
    summary: "Prometheus receives no metrics from kafka_exporter.",
    description: () =>
      "No kafka_brokers series for 10 minutes: kafka_exporter is down or not scraped, so HighConsumerLag cannot fire.",
    panel: eventSystem.ref.brokerStatus,
  }),
  kafkaExporterStalled: alert({
    name: "KafkaExporterStalled",
    guards: "kafka-exporter",
    expr: exporterFrozen,
    for: "5m",
    severity: "warning",
    summary: "The Kafka exporter serves frozen data.",
    description: () =>
      "Brokers take writes but no partition offset reported by kafka_exporter has moved for 5 minutes: its values are stale (hung Kafka client or metadata refresh), so consumer lag is not measured.",
    panel: eventSystem.ref.consumerLag,
  }),
  platformEventMetricsMissing: alert({
    name: "PlatformEventMetricsMissing",
    guards: "platform-events",
    expr: absent(m.carbon_events_produced_total),
    for: "15m",
    severity: "warning",
    summary: "No service reports platform event metrics.",
    description: () =>
      "No carbon_events_produced_total series for 15 minutes: the event-producer libraries are not exposing metrics or not scraped, so FailedEventDeliveries cannot fire.",
    panel: eventSystem.ref.failedDeliveries,
  }),
} as const;

export const eventSystemRules: RuleGroupDef = {
  name: "event-system",
  rateWindow: "5m",
  labels: { component: "event-system" },
  alerts: Object.values(eventAlerts),
};
