// Deployment settings for `npm run build`. Change them here; definitions stay as they are.

import type { BuildConfig } from "./src/model/config";
import type { VerifyConfig } from "./src/model/verify";
import type { SourceId } from "./catalogue/metrics";
import { matches, type LabelMatch } from "./src/kit/promql";
import type { PerCluster } from "./src/kit/threshold";

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
  /**
   * Brokers the Kafka cluster runs (Kafka CR `spec.kafka.replicas`, or the node pools' total). In
   * cluster mode it may differ per cluster: `{ default: 3, byCluster: { b: 5 } }`, where `default`
   * holds for every cluster not listed (KafkaBrokerDown compares each cluster with its own count).
   */
  readonly kafkaBrokers: number | PerCluster;
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

/**
 * Cluster mode (README "Many clusters"): the label a global store (Thanos, Mimir, remote write)
 * puts on every series, e.g. "cluster" or "k8s_cluster"; undefined for a single cluster. The
 * type checker reads it too: definitions may then name it like any label of a metric.
 */
export const clusterLabel = undefined;
declare module "./src/model/metric" {
  interface ClusterLabelSetting {
    readonly label: typeof clusterLabel;
  }
}

export const buildConfig: BuildConfig = {
  namespace: "monitoring",
  dashboardLabel: { name: "grafana_dashboard", value: "1" },
  folderAnnotation: "grafana_folder",
  // kube-prometheus-stack's Prometheus selects PrometheusRules labelled with its Helm release name.
  ruleLabels: { release: "kube-prometheus-stack" },
  grafanaUrl: "https://grafana.254carbon.com",
  grafanaAlertDatasourceUid: "prometheus",
  deployedSources: deployment.sources,
  outputs: {
    dashboardJson: true,
    sidecar: true,
    prometheusRule: true,
    ruleFiles: true,
    grafanaAlerts: true,
    resources: true,
    operator: true,
  },
  // The oldest Grafana that accepts the emitted dashboard schemaVersion 42 (src/validate/grafana-version.ts).
  oldestGrafanaVersion: "12.2.0",
  resourceApiVersion: "v1beta1",
  operator: {
    instanceSelector: { matchLabels: { dashboards: "grafana" } },
    resyncPeriod: "10m",
    dashboardSource: "json",
  },
  clusterLabel,
};

/**
 * `npm run verify` (README "Verifying against a live Prometheus"): panels and rules that may
 * be empty on a healthy cluster, each only for the reasons listed (an absent metric still fails).
 */
export const verify: VerifyConfig = {
  allowEmpty: [
    {
      target: "service-mesh/mTLS Status",
      when: ["value-no-match", "filtered"],
      reason: "no service receives plaintext: the healthy state of a strict-mTLS mesh",
    },
    {
      target: "api-gateway/Rate Limiting - Requests Blocked",
      when: ["value-no-match", "no-match-combination", "filtered"],
      reason: "Kong has blocked nothing (no 429 it answered itself)",
    },
    {
      target: "api-gateway/Authentication Failures",
      when: ["value-no-match", "no-match-combination", "filtered"],
      reason: "Kong has rejected nothing (no 401 it answered itself)",
    },
    {
      target: "events/Failed Event Deliveries",
      when: ["value-no-match", "no-match-combination", "filtered"],
      reason: "no delivery has failed",
    },
  ],
};
