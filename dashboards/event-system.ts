// 254Carbon Event-Driven Architecture: Kafka throughput, lag, broker health and the
// platform's own events (produced through the event-producer libraries).
// Panels in the design document's order (section 4). Their ids are explicit, kept from when they
// followed that order; a new panel may go anywhere and takes its id from its key.

import { metrics as m } from "../catalogue/metrics";
import { quantities } from "../catalogue/quantities";
import { thresholds } from "../catalogue/thresholds";
import { dashboard, labelVariable } from "../src/kit/dashboard";
import { pieChart, query, stat, table, timeSeries, type PanelDef } from "../src/kit/panel";
import { current, histogramQuantile, increase, rate, sub, sum } from "../src/kit/promql";
import { bars, stacked } from "../src/kit/presets";
import { folders } from "./folders";

// The topic variable's "All" is `.+`, so broker JMX series without a topic label (the
// broker-wide totals) never double the per-topic sums.
const topic = labelVariable("topic", "Topic", m.kafka_topic_partition_current_offset, "topic");
const topics = { topic: topic.match };
const topicLegend = { legend: (l: { topic: string }) => l.topic };

type EventFamily = "data" | "system" | "audit";

// The last finite bucket: histogram_quantile answers it for anything beyond.
const lastBucket = m.carbon_event_processing_duration_seconds.buckets?.at(-1) ?? "+Inf";

/** Events per second of one family (data, audit, system), by event type. */
function eventFamilyPanel(id: number, title: string, family: EventFamily, description: string): PanelDef {
  return timeSeries({
    id,
    title,
    description: `${description} Counted by the platform event-producer libraries (carbon_events_produced_total).`,
    unit: "eps",
    size: { w: 8, h: 8 },
    customize: stacked,
    targets: [
      query(sum(rate(m.carbon_events_produced_total, { ...topics, event_family: family, outcome: "delivered" }), { by: ["event_type"] }), {
        legend: (l) => l.event_type,
      }),
    ],
  });
}

export const eventSystem = dashboard({
  uid: "events",
  title: "254Carbon Event-Driven Architecture",
  description: "Kafka and the platform's events: production rate, consumer lag, event types, failed deliveries, brokers, topic size and processing latency.",
  tags: ["254carbon", "kafka", "events"],
  folder: folders.eventSystem,
  variables: [topic],
  panels: {
    productionRate: timeSeries({
      id: 1,
      title: "Event Production Rate by Topic",
      description: "Messages per second written to each topic, from the brokers' JMX metrics.",
      unit: "mps",
      targets: [query(sum(rate(m.kafka_server_brokertopicmetrics_messagesin_total, topics), { by: ["topic"] }), topicLegend)],
    }),
    consumerLag: timeSeries({
      id: 2,
      title: "Consumer Lag by Topic",
      description: "Messages each consumer group is behind on each topic (kafka_exporter). The dashed line is the HighConsumerLag alert threshold.",
      unit: "short",
      threshold: thresholds.consumerLagMessages,
      targets: [query(quantities.consumerLag(topics), { legend: (l) => `${l.consumergroup} / ${l.topic}` })],
    }),
    eventTypes: pieChart({
      id: 3,
      title: "Event Types Distribution",
      description: "Platform events delivered to Kafka over the selected range, by event type (failed deliveries are on their own panel).",
      unit: "short",
      size: { w: 8, h: 8 },
      targets: [
        query(sum(increase(m.carbon_events_produced_total, { ...topics, outcome: "delivered" }, "range"), { by: ["event_type"] }), {
          instant: true,
          legend: (l) => l.event_type,
        }),
      ],
    }),
    failedDeliveries: timeSeries({
      id: 4,
      title: "Failed Event Deliveries",
      description: "Events per second the platform libraries failed to deliver to Kafka, by producer and topic. Any failure fires FailedEventDeliveries.",
      unit: "eps",
      size: { w: 8, h: 8 },
      threshold: thresholds.failedEventDeliveriesPerSecond,
      customize: bars,
      targets: [query(quantities.failedEventDeliveries(topics), { legend: (l) => `${l.producer} → ${l.topic}` })],
    }),
    brokerStatus: stat({
      id: 5,
      title: "Kafka Broker Status",
      description:
        "Brokers answering Prometheus's scrape of their JMX exporter (red below the expected count in build.config.ts), under-replicated partitions and offline partitions (red above 0).",
      unit: "short",
      size: { w: 8, h: 8 },
      targets: [
        query(quantities.kafkaBrokersUp(), { legend: () => "brokers up", threshold: thresholds.kafkaExpectedBrokers }),
        query(sum(current(m.kafka_server_replicamanager_underreplicatedpartitions)), {
          legend: () => "under-replicated partitions",
          threshold: thresholds.underReplicatedPartitions,
        }),
        query(quantities.offlinePartitions(), {
          legend: () => "offline partitions",
          threshold: thresholds.offlinePartitions,
        }),
      ],
    }),
    topicRetention: table({
      id: 6,
      title: "Topic Retention and Size",
      description:
        "Per topic: bytes on disk across all replicas (broker JMX), and messages retained (latest minus oldest offset, kafka_exporter). Retention settings themselves are topic configuration, not metrics.",
      unit: "short",
      size: { w: 12, h: 8 },
      targets: [
        query(sum(current(m.kafka_log_log_size, topics), { by: ["topic"] }), { instant: true, format: "table", unit: "bytes" }),
        query(
          sum(sub(current(m.kafka_topic_partition_current_offset, topics), current(m.kafka_topic_partition_oldest_offset, topics)), { by: ["topic"] }),
          { instant: true, format: "table" },
        ),
      ],
      columns: { rename: { topic: "Topic", "Value #A": "Size on disk", "Value #B": "Messages retained" }, hide: ["Time"] },
    }),
    processingLatency: timeSeries({
      id: 7,
      title: "Event Processing Latency",
      description:
        `p99 seconds from an event's timestamp to the end of its handling by a consumer, by topic (platform histogram carbon_event_processing_duration_seconds; no Kafka exporter measures this). Its buckets end at ${lastBucket} s, so a p99 beyond that reads ${lastBucket} s.`,
      unit: "s",
      size: { w: 12, h: 8 },
      targets: [query(histogramQuantile(0.99, m.carbon_event_processing_duration_seconds, { by: ["topic"], where: topics }), topicLegend)],
    }),
    dataEvents: eventFamilyPanel(8, "Data Events", "data", "Data events per second (ingestion, quality, lineage, transformation)."),
    auditEvents: eventFamilyPanel(9, "Audit Events", "audit", "Audit events per second (user actions, API calls, data access, admin operations)."),
    systemEvents: eventFamilyPanel(10, "System Events", "system", "System events per second (health, deployments, configuration, security)."),
  },
});
