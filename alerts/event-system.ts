// Kafka and the platform's event libraries: lag, delivery failures and broker health (seed section 4).

import { metrics as m } from "../catalogue/metrics";
import { quantities as q } from "../catalogue/quantities";
import { thresholds as t } from "../catalogue/thresholds";
import { eventSystem } from "../dashboards/event-system";
import { alert, breaches, formatThreshold, value, type RuleGroupDef } from "../src/kit/alert";
import { absent, gauge, sum } from "../src/kit/promql";

export const eventSystemRules: RuleGroupDef = {
  name: "event-system",
  rateWindow: "5m",
  labels: { component: "event-system" },
  alerts: [
    alert({
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
    alert({
      name: "FailedEventDeliveries",
      expr: breaches(q.failedEventDeliveries(), t.failedEventDeliveriesPerSecond),
      for: "5m",
      severity: "warning",
      summary: "Events fail to reach Kafka.",
      description: (l) =>
        `Producer ${l.producer} fails to deliver ${value.fixed(2)} events/s to topic ${l.topic}; those events are lost unless the service retries them.`,
      panel: eventSystem.ref.failedDeliveries,
      threshold: t.failedEventDeliveriesPerSecond,
    }),
    alert({
      name: "KafkaBrokerDown",
      expr: breaches(q.kafkaBrokers(), t.kafkaExpectedBrokers),
      for: "3m",
      severity: "critical",
      summary: "A Kafka broker is missing from the cluster.",
      description: () =>
        `The Kafka cluster metadata lists ${value.raw} brokers, ${formatThreshold(t.kafkaExpectedBrokers)} are expected.`,
      panel: eventSystem.ref.brokerStatus,
      threshold: t.kafkaExpectedBrokers,
    }),
    alert({
      name: "KafkaUnderReplicatedPartitions",
      expr: breaches(gauge(m.kafka_server_replicamanager_underreplicatedpartitions), t.underReplicatedPartitions),
      for: "10m",
      severity: "warning",
      summary: "Kafka partitions are under-replicated.",
      description: (l) =>
        `Broker ${l.pod} leads ${value.raw} partitions with fewer in-sync replicas than replicas; one more broker loss can make them unavailable.`,
      panel: eventSystem.ref.brokerStatus,
      threshold: t.underReplicatedPartitions,
    }),
    alert({
      name: "KafkaOfflinePartitions",
      // Only the active controller reports a non-zero count; the sum is the cluster's.
      expr: breaches(sum(gauge(m.kafka_controller_kafkacontroller_offlinepartitionscount)), t.offlinePartitions),
      for: "1m",
      severity: "critical",
      summary: "Kafka partitions have no leader.",
      description: () => `${value.raw} Kafka partitions have no active leader: producers and consumers of those partitions are blocked.`,
      panel: eventSystem.ref.brokerStatus,
      threshold: t.offlinePartitions,
    }),
    alert({
      name: "KafkaExporterAbsent",
      // Without kafka_exporter, KafkaBrokerDown and HighConsumerLag cannot fire: say so.
      expr: absent(m.kafka_brokers),
      for: "10m",
      severity: "warning",
      summary: "Prometheus receives no metrics from kafka_exporter.",
      description: () =>
        "No kafka_brokers series for 10 minutes: kafka_exporter is down or not scraped, so KafkaBrokerDown and HighConsumerLag cannot fire.",
      panel: eventSystem.ref.brokerStatus,
    }),
  ],
};
