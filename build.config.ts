// Deployment settings for `npm run build`. Change them here; definitions stay as they are.

import type { BuildConfig } from "./src/build/config";
import type { SourceId } from "./catalogue/metrics";
import { matches, type LabelMatch } from "./src/kit/promql";

/** Label matchers on `up` that pick one kind of scrape target. */
export type ScrapeSelector = Readonly<Partial<Record<"job" | "instance" | "namespace" | "pod", string | LabelMatch>>>;

/** What runs in the cluster the alerts watch: the facts the definitions cannot know. */
export interface Deployment {
  /**
   * Which metric sources (catalogue/metrics.ts `source.id`) run. A deployed source gets an alert
   * when its metrics go missing; an absent one gets none (it would fire forever) and the panels
   * reading it say it is not deployed.
   */
  readonly sources: Readonly<Record<SourceId, boolean>>;
  /** `up` series of each scrape job the alerts check for liveness. */
  readonly scrapeTargets: {
    /** The brokers' JMX exporter (Strimzi: the kafka-resources-metrics PodMonitor, broker pods only). */
    readonly kafkaBrokers: ScrapeSelector;
    /** Kong's status API, where the prometheus plugin serves /metrics (job = the Service name). */
    readonly kong: ScrapeSelector;
  };
  /** Brokers the Kafka cluster runs (Kafka CR `spec.kafka.replicas`, or the node pools' total). */
  readonly kafkaBrokers: number;
}

export const deployment: Deployment = {
  sources: {
    prometheus: true,
    istio: true,
    "envoy-cluster-stats": true,
    kong: true,
    "kong-status-code-metrics": true,
    "kong-latency-metrics": true,
    "kong-bandwidth-metrics": true,
    "kong-upstream-health-metrics": true,
    "kafka-exporter": true,
    "kafka-jmx": true,
    // The platform's own metrics have no emitter yet (README "Platform-owned metrics").
    "platform-events": false,
    "platform-gateway-cache": false,
  },
  scrapeTargets: {
    kafkaBrokers: { job: "kafka/kafka-resources-metrics", pod: matches("carbon-kafka-[0-9]+") },
    kong: { job: "kong-kong-status" },
  },
  kafkaBrokers: 3,
};

export const buildConfig: BuildConfig = {
  namespace: "monitoring",
  dashboardLabel: { name: "grafana_dashboard", value: "1" },
  folderAnnotation: "grafana_folder",
  // kube-prometheus-stack's Prometheus selects PrometheusRules labelled with its Helm release name.
  ruleLabels: { release: "kube-prometheus-stack" },
  grafanaUrl: "https://grafana.254carbon.com",
  grafanaAlertDatasourceUid: "prometheus",
  deployedSources: deployment.sources,
};
