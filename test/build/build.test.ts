// The build end to end: what it writes, that it writes the same bytes every time, that the
// committed out/ is fresh, and that a bad definition writes nothing and says what is wrong.

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateOutputs, type BuildInput } from "../../src/pipeline/generate";
import { platformCatalogue, platformInput } from "../../scripts/platform";
import { findStaleOutputs, listFiles } from "../../src/pipeline/stale";
import { BuildError } from "../../src/model/output";
import { writeOutputs } from "../../src/pipeline/write";
import { LAST_APPLIED_LIMIT_BYTES } from "../../src/compile/kubernetes";
import { compileDashboard } from "../../src/compile/dashboard";
import { dashboard, type DashboardDef } from "../../src/kit/dashboard";
import { query, stat, timeSeries, type PanelDef } from "../../src/kit/panel";
import { current } from "../../src/kit/promql";
import { metrics } from "../../catalogue/metrics";
import { serviceMesh } from "../../dashboards/service-mesh";

const run = promisify(execFile);
const repo = new URL("../..", import.meta.url).pathname;
const runBuild = async (outDir: string, input: BuildInput = platformInput) => writeOutputs(generateOutputs(input).files, outDir, repo);

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "obs-build-"));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("build outputs", () => {
  const files = new Map(generateOutputs(platformInput).files.map((f) => [f.path, f.content]));
  const text = (path: string): string => {
    const content = files.get(path);
    if (content === undefined) throw new Error(`build did not generate ${path}`);
    return content;
  };

  it("writes one dashboard JSON and one sidecar ConfigMap per dashboard", () => {
    for (const uid of ["service-mesh", "api-gateway", "events"]) {
      expect(JSON.parse(text(`dashboards/${uid}.json`)).uid).toBe(uid);
      expect(files.has(`k8s/dashboard-${uid}.configmap.yaml`)).toBe(true);
    }
  });

  it("ConfigMaps parse, carry the sidecar label and folder annotation, and hold the same dashboard", () => {
    for (const uid of ["service-mesh", "api-gateway", "events"]) {
      const configMap = parse(text(`k8s/dashboard-${uid}.configmap.yaml`));
      expect(configMap).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "monitoring" } });
      expect(configMap.metadata.labels.grafana_dashboard).toBe("1");
      expect(configMap.metadata.annotations.grafana_folder).toMatch(/^254Carbon\//);
      expect(Object.keys(configMap.data)).toEqual([`${uid}.json`]);
      expect(JSON.parse(configMap.data[`${uid}.json`])).toEqual(JSON.parse(text(`dashboards/${uid}.json`)));
      expect(Buffer.byteLength(JSON.stringify(configMap))).toBeLessThan(LAST_APPLIED_LIMIT_BYTES);
    }
  });

  it("the kustomization lists exactly the resources under k8s/", () => {
    const kustomization = parse(text("k8s/kustomization.yaml"));
    const resources = [...files.keys()].filter((p) => p.startsWith("k8s/") && p !== "k8s/kustomization.yaml").map((p) => p.slice(4));
    expect(kustomization.resources).toEqual(resources.sort());
    expect(resources.some((r) => r.startsWith("prometheusrule-"))).toBe(true);
  });

  it("the manifest lists folders parents first and every dashboard in its folder", () => {
    const manifest = JSON.parse(text("manifest.json"));
    const order = manifest.folders.map((f: { uid: string }) => f.uid);
    for (const folder of manifest.folders) if (folder.parentUid) expect(order.indexOf(folder.parentUid)).toBeLessThan(order.indexOf(folder.uid));
    expect(manifest.dashboards.map((d: { uid: string }) => d.uid)).toEqual(["service-mesh", "api-gateway", "events"]);
    for (const d of manifest.dashboards) expect(order).toContain(d.folderUid);
  });

  it("the folder annotation name comes from the configuration", () => {
    const input: BuildInput = { ...platformInput, config: { ...platformInput.config, folderAnnotation: "k8s-sidecar-target-directory" } };
    const configMap = parse(generateOutputs(input).files.find((f) => f.path === "k8s/dashboard-events.configmap.yaml")!.content);
    expect(configMap.metadata.annotations).toEqual({ "k8s-sidecar-target-directory": "254Carbon/Event System" });
  });
});

describe("determinism and freshness", () => {
  it("two separate build processes write byte-identical trees", async () => {
    const [a, b] = [join(tmp, "a"), join(tmp, "b")];
    await run("npx", ["tsx", "scripts/build.ts", "--out", a], { cwd: repo });
    await run("npx", ["tsx", "scripts/build.ts", "--out", b], { cwd: repo });
    const files = await listFiles(a);
    expect(await listFiles(b)).toEqual(files);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(await readFile(join(b, file), "utf8"), file).toBe(await readFile(join(a, file), "utf8"));
  }, 60_000);

  it("the committed out/ equals a fresh build (run `npm run build` and commit when this fails)", async () => {
    expect(await findStaleOutputs(join(repo, "out"), platformInput)).toEqual([]);
  });

  it("staleness is detected: changed, extra and missing files", async () => {
    await runBuild(tmp, platformInput);
    await writeFile(join(tmp, "dashboards/events.json"), "{}\n");
    await writeFile(join(tmp, "k8s/leftover.yaml"), "x: 1\n");
    await rm(join(tmp, "manifest.json"));
    expect(await findStaleOutputs(tmp, platformInput)).toEqual([
      "dashboards/events.json (differs)",
      "k8s/leftover.yaml (not generated by the build)",
      "manifest.json (missing)",
    ]);
  });
});

describe("bad definitions fail the build, name what is wrong and write nothing", () => {
  const withDashboards = (dashboards: DashboardDef[]): BuildInput => ({ ...platformInput, dashboards });
  // Loosely typed on purpose: these panels are what the type checker would refuse.
  const somePanel = (overrides: { readonly [K in keyof PanelDef]?: unknown } = {}): PanelDef =>
    ({
      ...timeSeries({
        title: "Brokers",
        description: "Brokers in the cluster.",
        unit: "short",
        targets: [query(current(metrics.kafka_brokers))],
      }),
      ...overrides,
    }) as PanelDef;
  const board = (uid: string, panels: PanelDef[]): DashboardDef =>
    dashboard({
      uid,
      title: `Board ${uid}`,
      description: "Test board.",
      tags: [],
      folder: { uid: "f", title: "F" },
      variables: [],
      panels: Object.fromEntries(panels.map((panel, index) => [`panel${index}`, panel])),
    });

  async function expectFailure(input: BuildInput, ...messages: RegExp[]): Promise<void> {
    const outDir = join(tmp, "out");
    await mkdir(outDir);
    await writeFile(join(outDir, "sentinel.txt"), "previous build\n");
    const error = await runBuild(outDir, input).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BuildError);
    for (const message of messages) expect((error as BuildError).message).toMatch(message);
    expect(await listFiles(outDir)).toEqual(["sentinel.txt"]);
    expect(await readFile(join(outDir, "sentinel.txt"), "utf8")).toBe("previous build\n");
  }

  it("duplicate uid", async () => {
    await expectFailure(withDashboards([board("dup", [somePanel()]), board("dup", [somePanel()])]), /dup: duplicate dashboard uid "dup"/);
  });

  it("missing unit", async () => {
    await expectFailure(withDashboards([board("nounit", [somePanel({ unit: "" })])]), /out\/dashboards\/nounit\.json: Board nounit › Brokers: panel-units: timeseries panel has no unit/);
  });

  it("a unit Grafana does not know, on the panel or a query", async () => {
    const query = { expr: "kafka_brokers", legendLabels: [], instant: false, format: "time_series", reads: [], unit: "msg/s" };
    await expectFailure(
      withDashboards([board("badunit", [somePanel({ unit: "events/sec" }), somePanel({ title: "B", targets: [query] })])]),
      /out\/dashboards\/badunit\.json: Board badunit › Brokers: panel-unit-known: unit "events\/sec" is not a Grafana unit id/,
      /out\/dashboards\/badunit\.json: Board badunit › B: panel-unit-known: override byFrameRefID "A": unit "msg\/s" is not a Grafana unit id/,
    );
  });

  it("overlapping panels", async () => {
    const a = somePanel({ title: "A", gridPos: { x: 0, y: 0, w: 12, h: 8 } });
    const b = somePanel({ title: "B", gridPos: { x: 6, y: 4, w: 12, h: 8 } });
    await expectFailure(withDashboards([board("overlap", [a, b])]), /out\/dashboards\/overlap\.json: Board overlap › B: panel-overlap: overlaps A/);
  });

  it("empty query", async () => {
    const empty = somePanel({ targets: [{ expr: " ", legendLabels: [], instant: false, format: "time_series", reads: [] }] });
    await expectFailure(withDashboards([board("empty", [empty])]), /out\/dashboards\/empty\.json: Board empty › Brokers › A: panel-no-targets: target has no expr/);
  });

  it("a dashboard title longer than Grafana stores, and a panel title too long to show", async () => {
    const long = dashboard({ uid: "long", title: "T".repeat(190), description: "Test board.", tags: [], folder: { uid: "f", title: "F" }, variables: [], panels: { long: somePanel({ title: "P".repeat(81) }) } });
    await expectFailure(withDashboards([long]), /long\.json: T+: dashboard-title: dashboard title has 190 characters, Grafana stores at most 189/, /long\.json: T+ › P+: panel-title-unique: panel title has 81 characters, at most 80 allowed/);
  });

  it("two panels with the same title in one dashboard", async () => {
    await expectFailure(withDashboards([board("twins", [somePanel(), somePanel()])]), /Board twins › Brokers: panel-title-unique: panel title is already used by panel \d+ in this dashboard/);
  });

  it("a gridPos that is not whole numbers, and one out of bounds", async () => {
    await expectFailure(
      withDashboards([board("grid", [somePanel({ title: "Half", gridPos: { x: 0.5, y: 0, w: 12, h: 8 } }), somePanel({ title: "Tall", gridPos: { x: 0, y: 20, w: 12, h: 500 } })])]),
      /Board grid › Half: panel-gridpos: gridPos \{"x":0\.5,"y":0,"w":12,"h":8\} must be whole numbers/,
      /Board grid › Tall: panel-gridpos: gridPos \{"x":0,"y":20,"w":12,"h":500\} is out of bounds/,
    );
  });

  it("a histogram_quantile φ outside [0, 1]", async () => {
    const expr = "histogram_quantile(99, sum by (le) (rate(kong_request_latency_ms_bucket[$__rate_interval])))";
    const panel = somePanel({ targets: [{ expr, legendLabels: [], instant: false, format: "time_series", reads: [] }] });
    await expectFailure(withDashboards([board("phi", [panel])]), /Board phi › Brokers › A: histogram-quantile-phi: histogram_quantile φ 99 is outside \[0, 1\]/);
  });

  it("a panel wider than the grid", async () => {
    await expectFailure(withDashboards([board("wide", [somePanel({ size: { w: 30, h: 8 } })])]), /out\/dashboards\/wide\.json: Board wide › Brokers: panel-gridpos: gridPos x 0 \+ w 30 goes past the 24 columns/);
  });

  it("two panels with the same id", async () => {
    const board2 = board("ids", [somePanel({ title: "A", id: 7 }), somePanel({ title: "B", id: 7 })]);
    await expectFailure(withDashboards([board2]), /out\/dashboards\/ids\.json: Board ids › B: panel-id-unique: panel id 7 is also used by A/);
  });

  it("an alert linking to a dashboard the build does not generate", async () => {
    await expectFailure(withDashboards([board("alone", [somePanel()])]), /service-mesh › HighServiceErrorRate: links to panel 2 of dashboard "service-mesh", which this build does not generate/);
  });

  it("an undefined dashboard variable in a query", async () => {
    const panel = stat({
      title: "Lag",
      description: "Lag.",
      unit: "short",
      targets: [{ expr: 'sum(kafka_consumergroup_lag{topic=~"$topic"})', render: () => 'sum(kafka_consumergroup_lag{topic=~"$topic"})', legendLabels: [], instant: false, format: "time_series", reads: [] }],
    });
    await expectFailure(withDashboards([board("novar", [panel])]), /out\/dashboards\/novar\.json: Board novar › Lag › A: panel-variables: query uses \$topic, which the dashboard does not define/);
  });

  it("a ConfigMap too large for kubectl apply", async () => {
    const huge = { ...serviceMesh, description: "x".repeat(LAST_APPLIED_LIMIT_BYTES) };
    await expectFailure(withDashboards([huge]), /service-mesh: ConfigMap is \d+ bytes; kubectl apply can store at most 262144/);
  });

  it("reports every problem at once, across dashboards", async () => {
    await expectFailure(
      withDashboards([board("one", [somePanel({ unit: "" })]), board("two", [somePanel({ description: "" })])]),
      /Board one › Brokers: panel-units: timeseries panel has no unit/,
      /Board two › Brokers: panel-title-description: panel has no description/,
    );
  });

  it("the build CLI exits 2 on bad usage", async () => {
    const error = await run("npx", ["tsx", "scripts/build.ts", "--bogus"], { cwd: repo }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toMatch(/usage: npm run build/);
  }, 60_000);
});

describe("layout", () => {
  it("an explicit gridPos at (0, 0) stays there (the SDK alone would move it to its cursor), and the definition is not mutated", () => {
    const lower = { x: 0, y: 8, w: 12, h: 8 };
    const top = { x: 0, y: 0, w: 12, h: 8 };
    const panel = (title: string, gridPos: typeof top) => ({ ...timeSeries({ title, description: "d.", unit: "short", targets: [query(current(metrics.kafka_brokers))] }), gridPos });
    const def = dashboard({ uid: "zero", title: "Zero", description: "Test board.", tags: [], folder: { uid: "f", title: "F" }, variables: [], panels: { lower: panel("Lower", lower), top: panel("Top", top) } });
    const json = compileDashboard(def);
    expect(json.panels.map((p) => p.gridPos)).toEqual([lower, top]);
    expect(top).toEqual({ x: 0, y: 0, w: 12, h: 8 });
  });
});

describe("generated documentation", () => {
  it("docs/metrics.md matches the catalogue (run `npm run docs` when this fails)", async () => {
    const { metricsDoc } = await import("../../src/compile/metrics-doc");
    expect(await readFile(join(repo, "docs/metrics.md"), "utf8")).toBe(metricsDoc(platformCatalogue));
  });

  it("schema/ matches a fresh generation from @grafana/schema (run `npm run generate:schema`)", async () => {
    const committed = await Promise.all(["dashboard.schema.json", "dashboard.validate.js"].map((f) => readFile(join(repo, "schema", f), "utf8")));
    await run("npx", ["tsx", "scripts/generate-schema.ts", "--out-dir", tmp], { cwd: repo });
    const fresh = await Promise.all(["dashboard.schema.json", "dashboard.validate.js"].map((f) => readFile(join(tmp, f), "utf8")));
    expect(fresh).toEqual(committed);
  }, 60_000);

  it("src/model/grafana-units.ts matches @grafana/data's getValueFormats() (run `npm run generate:units`)", async () => {
    await run("npx", ["tsx", "scripts/generate-units.ts", "--out", join(tmp, "grafana-units.ts")], { cwd: repo });
    expect(await readFile(join(tmp, "grafana-units.ts"), "utf8")).toBe(await readFile(join(repo, "src/model/grafana-units.ts"), "utf8"));
  }, 60_000);

  it("schema/operator.validate.js and prometheusrule.validate.js match fresh bundles from @kubernetes-models (run `npm run generate:schema`)", async () => {
    const committed = await readFile(join(repo, "schema/operator.validate.js"), "utf8");
    await run("npx", ["tsx", "scripts/generate-operator-schema.ts", "--out-dir", tmp], { cwd: repo });
    expect(await readFile(join(tmp, "operator.validate.js"), "utf8")).toBe(committed);
    expect(await readFile(join(tmp, "prometheusrule.validate.js"), "utf8")).toBe(await readFile(join(repo, "schema/prometheusrule.validate.js"), "utf8"));
    expect(committed).toMatch(/^\/\/ @kubernetes-models\/grafana-operator \d+\.\d+\.\d+, CRDs from grafana\/grafana-operator v\d+\.\d+\.\d+ /m);
  }, 60_000);
});
