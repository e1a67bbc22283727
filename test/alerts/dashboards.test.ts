// Alerts and dashboards agree: every alert's dashboard_url opens an existing panel, the panel
// shows the alert's quantity (checked by title), and draws the alert's threshold.

import { describe, expect, it } from "vitest";
import { ruleGroups } from "../../alerts/index";
import { dashboards } from "../../dashboards/index";
import { thresholds } from "../../catalogue/thresholds";
import { formatNumber } from "../../src/kit/promql";
import type { Threshold } from "../../src/kit/threshold";

const alerts = ruleGroups.flatMap((g) => g.alerts);

/** The panel each alert links to, by title: a renumbered dashboard breaks this, not the on-call. */
const expectedPanelTitle: Record<string, string> = {
  ServiceUnreachable: "Service Error Rate",
  ServiceTrafficStopped: "Service Request Rate",
  HighServiceErrorRate: "Service Error Rate",
  ServiceErrorsSeenByCallers: "Service Error Rate",
  EnvoyClusterStatsMissing: "Circuit Breaker Status",
  KongDown: "Kong Proxy Health",
  KongStatusMetricsMissing: "Total API Requests",
  GatewayCacheMetricsMissing: "Cache Hit Rate",
  KafkaClusterDown: "Kafka Broker Status",
  KafkaExporterStalled: "Consumer Lag by Topic",
  PlatformEventMetricsMissing: "Failed Event Deliveries",
  HighServiceLatency: "Service Latency P99",
  PlaintextTrafficInMesh: "mTLS Status",
  CircuitBreakerTriggered: "Circuit Breaker Status",
  HighRetryRate: "Retry Rate",
  HighAuthenticationFailureRate: "Authentication Failures",
  RateLimitThresholdReached: "Rate Limiting - Requests Blocked",
  LowCacheHitRate: "Cache Hit Rate",
  KongDatastoreUnreachable: "Kong Proxy Health",
  HighConsumerLag: "Consumer Lag by Topic",
  FailedEventDeliveries: "Failed Event Deliveries",
  KafkaBrokerDown: "Kafka Broker Status",
  KafkaUnderReplicatedPartitions: "Kafka Broker Status",
  KafkaOfflinePartitions: "Kafka Broker Status",
  KafkaExporterAbsent: "Kafka Broker Status",
};

/**
 * Panels that count the series breaching the alert's threshold draw a threshold on that count
 * instead; their query must then compare against the alert's value.
 */
const drawnAsCount: Record<string, Threshold> = {
  // mTLS Status shows how many services receive plaintext (rate above plaintextRequestsPerSecond).
  PlaintextTrafficInMesh: thresholds.plaintextServices,
};

const sameThreshold = (a: Threshold | null | undefined, b: Threshold) => !!a && a.value === b.value && a.bad === b.bad && a.unit === b.unit;

describe("alert panel links", () => {
  it("name a panel for every alert", () => {
    expect(Object.keys(expectedPanelTitle).sort()).toEqual(alerts.map((a) => a.name).sort());
  });

  it.each(alerts.map((a) => [a.name, a] as const))("%s links to an existing panel showing its quantity", (name, def) => {
    const board = dashboards.find((d) => d.uid === def.panel.dashboardUid);
    expect(board, `dashboard ${def.panel.dashboardUid}`).toBeDefined();
    const panel = board!.panels.find((p) => p.id === def.panel.panelId);
    expect(panel, `panel ${def.panel.panelId}`).toBeDefined();
    expect(panel!.title).toBe(expectedPanelTitle[name]);
    if (def.threshold) {
      const drawn = [panel!.threshold, ...panel!.targets.map((target) => target.threshold)];
      const countThreshold = drawnAsCount[name];
      if (countThreshold) {
        expect(drawn.some((th) => sameThreshold(th, countThreshold))).toBe(true);
        const comparison = new RegExp(`> ${formatNumber(def.threshold.value).replace(".", "\\.")}(?![\\d.])`);
        expect(panel!.targets.some((target) => comparison.test(target.expr)), `${panel!.title} counts series ${comparison}`).toBe(true);
      } else {
        expect(drawn.some((th) => sameThreshold(th, def.threshold!)), `${panel!.title} draws ${JSON.stringify(def.threshold)}`).toBe(true);
      }
    }
  });
});
