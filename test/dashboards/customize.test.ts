// The kit's escape hatch: `customize` gets the panel's foundation SDK builder after everything the
// kit set, so any Grafana option works without a kit change and the definition's choice wins.

import * as common from "@grafana/grafana-foundation-sdk/common";
import { describe, expect, it } from "vitest";
import { metrics as m } from "../../catalogue/metrics";
import { compileDashboard } from "../../src/compile/dashboard";
import { dashboard } from "../../src/kit/dashboard";
import { query, stat, timeSeries, type PanelDef } from "../../src/kit/panel";
import { bars, stacked } from "../../src/kit/presets";
import { current, rate, sum } from "../../src/kit/promql";

const requests = [query(sum(rate(m.kong_http_requests_total), { by: ["service"] }))];
const compiled = (panel: PanelDef) => {
  const json = compileDashboard(dashboard({ uid: "c", title: "C", description: "C.", tags: [], folder: { uid: "f", title: "F" }, variables: [], panels: { only: panel } }));
  const first = json.panels[0];
  if (!first) throw new Error("no panel compiled");
  return first as unknown as { fieldConfig: { defaults: Record<string, unknown> & { custom: Record<string, unknown> } }; options: Record<string, unknown> };
};

describe("customize", () => {
  it("runs after the kit, so it overrides kit settings and sets options the kit does not know", () => {
    const plain = compiled(timeSeries({ title: "T", description: "D.", unit: "reqps", targets: requests }));
    const custom = compiled(timeSeries({ title: "T", description: "D.", unit: "reqps", targets: requests, customize: (b) => b.fillOpacity(33).lineWidth(3).unit("rps") }));
    expect(plain.fieldConfig.defaults.custom.fillOpacity).toBe(10);
    expect(custom.fieldConfig.defaults.custom).toMatchObject({ fillOpacity: 33, lineWidth: 3 });
    expect(custom.fieldConfig.defaults.unit).toBe("rps");
  });

  it("applies a list in order: shared presets, then the panel's own", () => {
    const panel = compiled(timeSeries({ title: "T", description: "D.", unit: "short", targets: requests, customize: [stacked, bars, (b) => b.fillOpacity(50)] }));
    expect(panel.fieldConfig.defaults.custom).toMatchObject({ stacking: { mode: "normal" }, drawStyle: "bars", fillOpacity: 50 });
  });

  it("hands each kind its own builder", () => {
    const panel = compiled(stat({ title: "S", description: "D.", unit: "short", targets: [query(current(m.kafka_brokers))], customize: (b) => b.decimals(2).textMode(common.BigValueTextMode.Value) }));
    expect(panel.fieldConfig.defaults.decimals).toBe(2);
    expect(panel.options.textMode).toBe("value");
  });
});
