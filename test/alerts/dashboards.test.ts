// Alerts and dashboards agree: every alert's dashboard_url opens an existing panel, the panel
// shows the alert's quantity (checked by title), and draws the alert's threshold.

import { describe, expect, it } from "vitest";
import { ruleGroups } from "../../alerts/index";
import { dashboards } from "../../dashboards/index";
import type { Threshold } from "../../src/kit/threshold";

const alerts = ruleGroups.flatMap((g) => g.alerts);

/** The panel each alert links to, by title: a renumbered dashboard breaks this, not the on-call. */
const expectedPanelTitle: Record<string, string> = {
  HighServiceErrorRate: "Service Error Rate",
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

const sameThreshold = (a: Threshold | null | undefined, b: Threshold) => !!a && a.value === b.value && a.bad === b.bad && a.unit === b.unit;

describe("alert panel links", () => {
  it("name a panel for every alert", () => {
    expect(Object.keys(expectedPanelTitle).sort()).toEqual(alerts.map((a) => a.name).sort());
  });

  it.each(alerts.map((a) => [a.name, a] as const))("%s links to an existing panel showing its quantity", (name, def) => {
    const board = dashboards.find((d) => d.uid === def.panel.dashboardUid);
    expect(board, `dashboard ${def.panel.dashboardUid}`).toBeDefined();
    // Panel ids are the 1-based position in the definition (see src/kit/dashboard.ts).
    const panel = board!.panels[def.panel.panelId - 1];
    expect(panel, `panel ${def.panel.panelId}`).toBeDefined();
    expect(panel!.title).toBe(expectedPanelTitle[name]);
    if (def.threshold) {
      const drawn = [panel!.threshold, ...panel!.targets.map((target) => target.threshold)];
      expect(drawn.some((th) => sameThreshold(th, def.threshold!)), `${panel!.title} draws ${JSON.stringify(def.threshold)}`).toBe(true);
    }
  });
});
