// Grafana's own data library (@grafana/data) judges every panel of every compiled dashboard:
// each query runs on a real Prometheus holding synthetic data for the whole catalogue, the
// answers become data frames as Grafana's Prometheus data source makes them, and the panel's
// transformations, field config and visualization needs are checked (test/support/grafana-panels.ts).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DataFrame } from "@grafana/data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMetrics } from "../../catalogue/metrics";
import { dashboards } from "../../dashboards";
import { tableValueColumn } from "../../src/compile/dashboard";
import type { PanelDef } from "../../src/kit/panel";
import { dashboardVariables } from "../../src/lint/dashboard";
import { grafanaData } from "../../scripts/grafana-data";
import { grafanaFrames, type FrameQuery } from "../support/grafana-frames";
import { judgePanel, nodeGraphEdges, panelData, type PanelJson, type QueryExpectation } from "../support/grafana-panels";
import { queryData, type PromData, type RunningPrometheus } from "../support/prometheus";
import { executableQuery } from "../support/synthetic/queries";
import { startSyntheticPrometheus, syntheticWindow } from "../support/synthetic/prometheus";

const OUT = join(import.meta.dirname, "../../out/dashboards");
const WINDOW = syntheticWindow();
/** A Grafana range query over the last hour of data, one point a minute. */
const RANGE = { start: WINDOW.end - 3600, end: WINDOW.end, step: 60 };

interface TargetJson {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  readonly format?: string;
  readonly instant?: boolean;
}
type CompiledPanel = Omit<PanelJson, "targets"> & { readonly id: number; readonly targets: readonly TargetJson[] };
interface Compiled {
  readonly uid: string;
  readonly panels: readonly CompiledPanel[];
  readonly json: Record<string, unknown>;
}

// What ships: the committed out/dashboards/*.json (a test elsewhere keeps them fresh).
const compiled: Compiled[] = readdirSync(OUT)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => {
    const json = JSON.parse(readFileSync(join(OUT, f), "utf8")) as Record<string, unknown> & { uid: string; panels: CompiledPanel[] };
    return { uid: json.uid, panels: json.panels, json };
  });
const panels = compiled.flatMap((d) => d.panels.map((panel) => ({ dashboard: d, panel, name: `${d.uid} › ${panel.title}` })));

/** What the definition says each query shows: units from the kit, not from the compiled JSON. */
function expectations(def: PanelDef): QueryExpectation[] {
  return def.targets.map((target, index) => ({
    refId: String.fromCharCode(65 + index),
    unit: target.unit ?? def.unit,
    ...(def.kind === "table" ? { column: tableValueColumn(def, index) } : {}),
  }));
}
function definition(uid: string, id: number): PanelDef {
  const def = dashboards.find((d) => d.uid === uid)?.panels.find((p) => p.id === id);
  if (!def) throw new Error(`${uid}: no definition for panel id ${id}`);
  return def;
}

let prometheus: RunningPrometheus | undefined;
let setupError: unknown;
/** Each panel's frames, as Grafana's Prometheus data source hands them to the panel. */
const framesByPanel = new Map<string, DataFrame[]>();
const answersByPanel = new Map<string, { query: FrameQuery; data: PromData }[]>();

async function answers(dashboard: Compiled, panel: CompiledPanel): Promise<{ query: FrameQuery; data: PromData }[]> {
  const variables = dashboardVariables(dashboard.json);
  return Promise.all(
    panel.targets.map(async (target) => {
      const expr = executableQuery(target.expr, variables);
      const answer = await queryData(prometheus!.url, expr, target.instant ? { time: WINDOW.end } : RANGE);
      if (!answer.ok) throw new Error(`${dashboard.uid} › ${panel.title} › ${target.refId}: ${answer.error}\n    ${expr}`);
      const query: FrameQuery = { refId: target.refId, expr, legendFormat: target.legendFormat, format: target.format, stepMs: target.instant ? undefined : RANGE.step * 1000 };
      return { query, data: answer.data };
    }),
  );
}

function framesOf(name: string): DataFrame[] {
  if (setupError) throw setupError;
  const frames = framesByPanel.get(name);
  if (!frames) throw new Error(`${name}: no frames recorded`);
  // Transformations may mutate: every judge gets its own copy.
  return structuredClone(frames);
}

describe("Grafana's data library judges every panel", () => {
  beforeAll(async () => {
    try {
      ({ prometheus } = await startSyntheticPrometheus(allMetrics, WINDOW));
      for (const { dashboard, panel, name } of panels) {
        const result = await answers(dashboard, panel);
        answersByPanel.set(name, result);
        framesByPanel.set(name, grafanaFrames(result));
      }
    } catch (e) {
      // Every test fails with it: a missing Prometheus is a failure, never a skip.
      setupError = e;
    }
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it("covers every panel of every dashboard, each matched to its definition", () => {
    const defined = dashboards.reduce((n, d) => n + d.panels.length, 0);
    expect(compiled.map((d) => d.uid).sort()).toEqual(dashboards.map((d) => d.uid).sort());
    expect(panels.length).toBe(defined);
    expect(panels.length).toBeGreaterThanOrEqual(27);
    for (const { dashboard, panel } of panels) expect(panel.title).toBe(definition(dashboard.uid, panel.id).title);
  });

  it.each(panels)("$name", async ({ dashboard, panel, name }) => {
    expect(await judgePanel(panel, framesOf(name), expectations(definition(dashboard.uid, panel.id)))).toEqual([]);
  });

  it("the service graph's nodes are workload.namespace, its edges source -> target", async () => {
    const name = "service-mesh › Service Dependencies";
    const { panel } = panels.find((p) => p.name === name)!;
    const edges = nodeGraphEdges(await panelData(panel, framesOf(name)));
    const [id, source, target] = ["id", "source", "target"].map((f) => edges?.field(f)?.values ?? []);
    expect(source!.length).toBeGreaterThan(0);
    for (const [i, node] of [...source!, ...target!].entries()) expect(node, `node ${i}`).toMatch(/^[^.]+\.[^.]+$/);
    expect(id).toEqual(source!.map((s, i) => `${s} -> ${target![i]}`));
    // mainstat carries each edge's requests/s, exactly what Prometheus answered.
    const answered = (answersByPanel.get(name)![0]!.data.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => [s.metric.id, Number(s.value[1])]);
    expect(id!.map((edge, i) => [edge, edges?.field("mainstat")?.values[i]])).toEqual(answered);
  });

  it("a namespace without traffic reads green 0s on mTLS Status, not No data", async () => {
    const { dashboard, panel } = panels.find((p) => p.name === "service-mesh › mTLS Status")!;
    const quiet = { ...panel, targets: panel.targets.map((t) => ({ ...t, expr: t.expr.replaceAll("$namespace", "no-such-namespace") })) };
    const data = await panelData(quiet, grafanaFrames(await answers(dashboard, quiet)));
    const gd = grafanaData();
    const values = gd.getFieldDisplayValues({
      data,
      reduceOptions: panel.options!.reduceOptions!,
      fieldConfig: panel.fieldConfig!,
      replaceVariables: (s) => s,
      theme: gd.createTheme(),
    });
    const green = gd.createTheme().visualization.getColorByName("green");
    expect(values.map((v) => [v.display.title, v.display.numeric])).toEqual([
      ["mTLS services", 0],
      ["plaintext services", 0],
    ]);
    expect(values.find((v) => v.display.title === "plaintext services")?.display.color).toBe(green);
  });

  it("$namespace on Envoy panels selects upstream services, whichever namespace calls them", async () => {
    const { dashboard, panel } = panels.find((p) => p.name === "service-mesh › Circuit Breaker Status")!;
    const carbon = { ...panel, targets: panel.targets.map((t) => ({ ...t, expr: t.expr.replaceAll("$namespace", "carbon") })) };
    const [table] = await panelData(carbon, grafanaFrames(await answers(dashboard, carbon)));
    const column = (name: string) => table!.fields.find((f) => f.name === name)?.values ?? [];
    // The gateway in istio-system calls a carbon service: its breakers count for carbon.
    expect(new Set(column("namespace"))).toEqual(new Set(["istio-system", "carbon"]));
    expect(column("cluster_name").every((c) => /\.carbon\.svc\./.test(String(c)))).toBe(true);
    const none = { ...panel, targets: panel.targets.map((t) => ({ ...t, expr: t.expr.replaceAll("$namespace", "istio-system") })) };
    expect((await answers(dashboard, none)).flatMap((a) => a.data.result as unknown[])).toEqual([]);
  });

  it("shows top consumers without the requests that have none (consumer=\"\")", async () => {
    const raw = answersByPanel.get("api-gateway › Top Consumers by Request Count");
    expect(raw).toBeDefined();
    const series = raw![0]!.data.result as { metric: Record<string, string> }[];
    expect(series.length).toBeGreaterThan(0);
    expect(series.every((s) => s.metric.consumer)).toBe(true);
  });

  describe("fails a panel that Grafana would not draw right", () => {
    const find = (name: string) => {
      const found = panels.find((p) => p.name === name);
      if (!found) throw new Error(`no panel ${name}`);
      return { ...found, json: structuredClone(found.panel), expected: expectations(definition(found.dashboard.uid, found.panel.id)) };
    };

    it("a node graph whose mainstat is only a display name (organize rename)", async () => {
      const { json, expected, name } = find("service-mesh › Service Dependencies");
      const broken = { ...json, transformations: [{ id: "organize", options: { renameByName: { Value: "mainstat" }, excludeByName: { Time: true } } }] };
      expect(await judgePanel(broken, framesOf(name), expected)).toEqual([expect.stringMatching(/edges frame has no field named mainstat/)]);
    });

    it("a unit Grafana does not know", async () => {
      const { json, expected, name } = find("events › Data Events");
      const broken = { ...json, fieldConfig: { ...json.fieldConfig!, defaults: { ...json.fieldConfig!.defaults, unit: "events/sec" } } };
      const problems = await judgePanel(broken, framesOf(name), expected);
      expect(problems).toContainEqual('unit "events/sec" is not one Grafana knows (getValueFormats)');
    });

    it("a table unit override that matches no column (`Value`, the name when a panel has one query)", async () => {
      const { json, expected, name } = find("events › Topic Retention and Size");
      const overrides = json.fieldConfig!.overrides.map((o) => ({ ...o, matcher: { id: "byName", options: "Value" } }));
      const broken = { ...json, fieldConfig: { ...json.fieldConfig!, overrides } };
      expect(await judgePanel(broken, framesOf(name), expected)).toEqual([
        expect.stringMatching(/^column "Size on disk" has unit "short", expected "bytes"$/),
      ]);
    });

    it("a table whose queries are not merged", async () => {
      const { json, expected, name } = find("service-mesh › Circuit Breaker Status");
      const broken = { ...json, transformations: json.transformations!.filter((t) => t.id !== "merge") };
      expect(await judgePanel(broken, framesOf(name), expected)).toEqual(["2 frames: a table shows one (are the queries merged?)"]);
    });

    it("a stat whose query's unit override is lost", async () => {
      const { json, expected, name } = find("api-gateway › Kong Proxy Health");
      const broken = { ...json, fieldConfig: { ...json.fieldConfig!, overrides: [] } };
      const problems = await judgePanel(broken, framesOf(name), expected);
      expect(problems).toEqual([expect.stringMatching(/^A: "datastore reachable" has unit "short", expected "bool"$/)]);
    });

    it("a legend naming a label the query dropped", async () => {
      const { json, expected, dashboard, panel } = find("events › Event Production Rate by Topic");
      const broken = { ...json, targets: json.targets.map((t) => ({ ...t, legendFormat: "{{ partition }}" })) };
      // The frames come from the data source, which renders the legend: rebuild them with it.
      const frames = grafanaFrames(await answers(dashboard, { ...panel, targets: broken.targets }));
      const problems = await judgePanel(broken, frames, expected);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((p) => /legend .* not resolved/.test(p))).toBe(true);
    });
  });
});
