// The three platform dashboards against the design document (seed section 4) and the
// shared thresholds. The seed-conformance check: titles, counts and order below are the seed's,
// typed in by hand from it (the one hand-copied list; everything else here is an invariant).

import { describe, expect, it } from "vitest";
import { dashboards } from "../../dashboards";
import { thresholds, type Threshold } from "../../catalogue/thresholds";
import { compileDashboard } from "../../src/compile/dashboard";
import type { DashboardJson, PanelJson } from "../../src/model/dashboard";
import { validateDashboard } from "../../src/validate/dashboard";

const compiled = new Map(dashboards.map((d) => [d.uid, compileDashboard(d)]));
const get = (uid: string): DashboardJson => {
  const dashboard = compiled.get(uid);
  if (!dashboard) throw new Error(`no dashboard ${uid}`);
  return dashboard;
};

const seed = {
  "service-mesh": {
    title: "254Carbon Service Mesh Overview",
    panels: [
      "Service Request Rate",
      "Service Error Rate",
      "Service Latency P99",
      "mTLS Status",
      "Circuit Breaker Status",
      "Service Dependencies",
      "Connection Pool Status",
      "Retry Rate",
    ],
  },
  "api-gateway": {
    title: "254Carbon API Gateway (Kong)",
    panels: [
      "Total API Requests",
      "API Response Codes",
      "API Latency P99",
      "Rate Limiting - Requests Blocked",
      "Top Consumers by Request Count",
      "Bandwidth Usage",
      "Authentication Failures",
      "Kong Proxy Health",
      "Cache Hit Rate",
    ],
  },
  events: {
    title: "254Carbon Event-Driven Architecture",
    panels: [
      "Event Production Rate by Topic",
      "Consumer Lag by Topic",
      "Event Types Distribution",
      "Failed Event Deliveries",
      "Kafka Broker Status",
      "Topic Retention and Size",
      "Event Processing Latency",
      "Data Events",
      "Audit Events",
      "System Events",
    ],
  },
} as const;

describe("platform dashboards", () => {
  it("are exactly the seed's three, with its uids", () => {
    expect([...compiled.keys()].sort()).toEqual(Object.keys(seed).sort());
  });

  for (const [uid, expected] of Object.entries(seed)) {
    describe(uid, () => {
      it("has the seed's title, panel count and panel titles in order", () => {
        const dashboard = get(uid);
        expect(dashboard.title).toBe(expected.title);
        expect(dashboard.panels).toHaveLength(expected.panels.length);
        expect(dashboard.panels.map((p) => p.title)).toEqual([...expected.panels]);
      });

      it("passes the JSON Schema and every structural check", () => {
        expect(validateDashboard(get(uid))).toEqual([]);
      });

      it("lays panels inside 24 columns without overlap", () => {
        const panels = get(uid).panels;
        for (const p of panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
        for (const [i, a] of panels.entries()) {
          for (const b of panels.slice(i + 1)) {
            const apart =
              a.gridPos.x + a.gridPos.w <= b.gridPos.x ||
              b.gridPos.x + b.gridPos.w <= a.gridPos.x ||
              a.gridPos.y + a.gridPos.h <= b.gridPos.y ||
              b.gridPos.y + b.gridPos.h <= a.gridPos.y;
            expect(apart, `${a.title} / ${b.title}`).toBe(true);
          }
        }
      });

      it("queries only through the $datasource variable, with rates over $__rate_interval", () => {
        for (const panel of get(uid).panels) {
          expect(panel.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
          const targets = panel.targets as { expr: string; datasource: unknown }[];
          expect(targets.length).toBeGreaterThan(0);
          for (const target of targets) {
            expect(target.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
            // Quoted matcher values are skipped: a regex matcher may hold `[...]` classes.
            for (const range of target.expr.matchAll(/(?:rate|increase)\((?:[^"[]|"(?:[^"\\]|\\.)*")*\[([^\]]+)\]/g)) {
              expect(["$__rate_interval", "$__range"], target.expr).toContain(range[1]);
            }
          }
        }
      });
    });
  }

  it("filters Istio on reporter and keeps le in every histogram_quantile", () => {
    const exprs = [...compiled.values()].flatMap((d) => d.panels.flatMap((p) => (p.targets as { expr: string }[]).map((t) => t.expr)));
    // Each Istio selector picks one view, so no request is counted twice: the service's own proxy, or its callers'.
    const selectors = exprs.flatMap((e) => [...e.matchAll(/istio_\w+\{[^}]*\}/g)].map((m) => m[0]));
    expect(selectors.length).toBeGreaterThan(0);
    for (const selector of selectors) expect(selector).toMatch(/reporter="destination"|reporter=~"source\|waypoint"/);
    for (const expr of exprs.filter((e) => e.includes("histogram_quantile"))) {
      expect(expr).toMatch(/histogram_quantile\(0?\.\d+, sum by \(le[,)]/);
    }
  });
});

describe("thresholds drawn on panels are the alert constants", () => {
  const steps = (fieldConfig: unknown) =>
    (fieldConfig as { thresholds: { steps: { value: number | null; color: string }[] } }).thresholds.steps;
  const panel = (uid: string, title: string): PanelJson => {
    const found = get(uid).panels.find((p) => p.title === title);
    if (!found) throw new Error(`${uid} has no panel ${title}`);
    return found;
  };
  const defaults = (p: PanelJson) => (p.fieldConfig as { defaults: unknown }).defaults;
  /** The override for one query (refId) of a stat panel with per-query thresholds. */
  const queryOverride = (p: PanelJson, refId: string) => {
    const overrides = (p.fieldConfig as { overrides: { matcher: { options: string }; properties: { id: string; value: unknown }[] }[] }).overrides;
    const override = overrides.find((o) => o.matcher.options === refId);
    return { thresholds: override?.properties.find((prop) => prop.id === "thresholds")?.value };
  };
  const expectDrawn = (drawn: { value: number | null; color: string }[], threshold: Threshold) => {
    expect(drawn[0]?.value).toBeNull();
    expect(drawn[1]?.value).toBe(threshold.value);
    // The bad side is red: above the value for "above"/"atLeast", below it for "below".
    expect(threshold.bad === "below" ? drawn[0]?.color : drawn[1]?.color).toBe("red");
  };

  const panelThresholds: [string, string, Threshold][] = [
    ["service-mesh", "Service Error Rate", thresholds.serviceErrorRatio],
    ["service-mesh", "Service Latency P99", thresholds.serviceLatencyP99Ms],
    ["service-mesh", "Circuit Breaker Status", thresholds.trippedClusters],
    ["service-mesh", "Retry Rate", thresholds.retryRatio],
    ["api-gateway", "Rate Limiting - Requests Blocked", thresholds.rateLimitedPerSecond],
    ["api-gateway", "Authentication Failures", thresholds.authFailuresPerSecond],
    ["api-gateway", "Cache Hit Rate", thresholds.cacheHitRatio],
    ["events", "Consumer Lag by Topic", thresholds.consumerLagMessages],
    ["events", "Failed Event Deliveries", thresholds.failedEventDeliveriesPerSecond],
  ];
  it.each(panelThresholds)("%s › %s", (uid, title, threshold) => {
    expectDrawn(steps(defaults(panel(uid, title))), threshold);
  });

  it("matches the seed's numbers: 5 % errors, 10/s auth failures, 50 % cache hits, 10000 lag", () => {
    expect(thresholds.serviceErrorRatio).toMatchObject({ value: 0.05, bad: "above" });
    expect(thresholds.authFailuresPerSecond).toMatchObject({ value: 10, bad: "above" });
    expect(thresholds.cacheHitRatio).toMatchObject({ value: 0.5, bad: "below" });
    expect(thresholds.consumerLagMessages).toMatchObject({ value: 10000, bad: "above" });
  });

  const queryThresholds: [string, string, string, Threshold][] = [
    ["api-gateway", "Kong Proxy Health", "A", thresholds.kongDatastoreReachable],
    ["api-gateway", "Kong Proxy Health", "C", thresholds.unhealthyUpstreamTargets],
    ["api-gateway", "Kong Proxy Health", "D", thresholds.kongNodesUp],
    ["events", "Kafka Broker Status", "A", thresholds.kafkaExpectedBrokers],
    ["events", "Kafka Broker Status", "B", thresholds.underReplicatedPartitions],
    ["events", "Kafka Broker Status", "C", thresholds.offlinePartitions],
  ];
  it.each(queryThresholds)("%s › %s › query %s", (uid, title, refId, threshold) => {
    expectDrawn(steps(queryOverride(panel(uid, title), refId)), threshold);
  });
});
