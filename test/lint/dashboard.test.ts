// Dashboard rules on small hand-written dashboards, project-style and exported-style.

import { describe, expect, it } from "vitest";
import { lintDashboard } from "../../src/lint/dashboard";
import type { Profile } from "../../src/lint/rule";
import { defaultOptions } from "../../src/lint/options";
import { exampleDashboard, examplePanel } from "../../src/lint/rules/dashboard/example";
import { allMetrics } from "../../catalogue/metrics";

const options = defaultOptions(allMetrics);
// The registry's clean example panel and dashboard, so these tests start from what every rule case does.
const panel = examplePanel;

function dashboard(panels: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...exampleDashboard(), panels, ...extra };
}

const rules = (d: unknown, profile: Profile = "own") => lintDashboard(d, { file: "d.json", profile }, options).map((f) => f.rule);

describe("dashboard rules", () => {
  it("a clean dashboard has no findings", () => {
    expect(lintDashboard(dashboard([panel()]), { file: "d.json", profile: "own" }, options)).toEqual([]);
  });

  it("dashboard-uid", () => {
    expect(rules(dashboard([panel()], { uid: "has spaces" }))).toContain("dashboard-uid");
    expect(rules(dashboard([panel()], { uid: "x".repeat(41) }))).toContain("dashboard-uid");
    expect(rules(dashboard([panel()], { uid: "x".repeat(40) }))).not.toContain("dashboard-uid");
  });

  it("template-datasource and panel-datasource", () => {
    const noVar = dashboard([panel()], { templating: { list: [] } });
    expect(rules(noVar)).toContain("template-datasource");
    expect(rules(dashboard([panel({ datasource: "Prometheus" })]))).toContain("panel-datasource");
    expect(rules(dashboard([panel({ datasource: "$datasource" })]))).not.toContain("panel-datasource");
    const badTarget = panel({ targets: [{ refId: "A", datasource: { uid: "abc123" }, expr: "up" }] });
    expect(rules(dashboard([badTarget]))).toContain("panel-datasource");
  });

  it("panel-title-description and panel-units", () => {
    expect(rules(dashboard([panel({ title: "" })]))).toContain("panel-title-description");
    expect(rules(dashboard([panel({ description: undefined })]))).toContain("panel-title-description");
    expect(rules(dashboard([panel({ fieldConfig: { defaults: {} } })]))).toContain("panel-units");
    // A table is not a numeric panel: no unit needed.
    expect(rules(dashboard([panel({ type: "table", fieldConfig: { defaults: {} } })]))).not.toContain("panel-units");
  });

  it("panel-no-targets", () => {
    expect(rules(dashboard([panel({ targets: [] })]))).toContain("panel-no-targets");
    expect(rules(dashboard([panel({ type: "text", targets: [] })]))).not.toContain("panel-no-targets");
  });

  it("panel-id-unique", () => {
    expect(rules(dashboard([panel(), panel({ gridPos: { x: 12, y: 0, w: 12, h: 8 } })]))).toContain("panel-id-unique");
    expect(rules(dashboard([panel(), panel({ id: 2, gridPos: { x: 12, y: 0, w: 12, h: 8 } })]))).not.toContain("panel-id-unique");
  });

  it("panel-gridpos and panel-overlap: inside 24 columns, no overlap", () => {
    expect(rules(dashboard([panel({ gridPos: { x: 16, y: 0, w: 12, h: 8 } })]))).toContain("panel-gridpos");
    expect(rules(dashboard([panel(), panel({ id: 2, gridPos: { x: 6, y: 4, w: 12, h: 8 } })]))).toContain("panel-overlap");
    expect(rules(dashboard([panel(), panel({ id: 2, gridPos: { x: 0, y: 8, w: 12, h: 8 } })]))).not.toContain("panel-overlap");
  });

  it("template-on-time-change-reload", () => {
    const d = dashboard([panel()]);
    (d.templating as { list: Record<string, unknown>[] }).list[1]!.refresh = 1;
    expect(rules(d)).toContain("template-on-time-change-reload");
  });

  it("lints panels inside collapsed rows, with legacy string datasources", () => {
    const exported = {
      dashboard: dashboard([
        {
          id: 10,
          type: "row",
          title: "Kong",
          collapsed: true,
          gridPos: { x: 0, y: 0, w: 24, h: 1 },
          panels: [panel({ id: 11, datasource: "$datasource", targets: [{ refId: "B", expr: "rate(kong_nginx_connections_total[$__rate_interval])" }] })],
        },
      ]),
      meta: {},
    };
    const findings = lintDashboard(exported, { file: "exported.json", profile: "foreign" }, options);
    expect(findings.map((f) => [f.rule, f.location.join(" › ")])).toEqual([["gauge-not-rated", "API Gateway › Requests › B"]]);
  });

  it("substitutes the current value of a dashboard variable", () => {
    const d = dashboard([panel({ targets: [{ refId: "A", expr: "histogram_quantile($q, sum by (le) (rate(kong_request_latency_ms_bucket[$__rate_interval])))" }] })]);
    (d.templating as { list: unknown[] }).list.push({ name: "q", type: "custom", current: { value: "0.99" } });
    expect(rules(d)).toEqual([]);
  });

  it("never throws on odd input", () => {
    for (const odd of [null, 42, "x", [], { panels: "no" }, { panels: [null, 1, { targets: [null, { expr: 5 }] }] }])
      expect(() => lintDashboard(odd, { file: "x.json", profile: "foreign" }, options)).not.toThrow();
  });
});
