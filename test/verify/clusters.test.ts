// verify in cluster mode, on a real Prometheus holding two clusters: a with every exporter, b
// without kafka_exporter. The dashboards are the cluster-mode build (label k8s_cluster); verify
// judges each panel per cluster found in the store. Expectations come from the catalogue (which
// metrics kafka_exporter emits) and a reading of each query's metric names, not from verify.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMetrics, metrics } from "../../catalogue/metrics";
import { CLUSTER_VARIABLE } from "../../src/kit/promql";
import { seriesNames } from "../../src/model/metric";
import { PrometheusClient } from "../../src/verify/client";
import { readDashboard } from "../../src/verify/inputs";
import { formatText } from "../../src/verify/report";
import { exitCodeOf, verify, type VerifyReport } from "../../src/verify/verify";
import { buildPlatform } from "../support/cluster-mode";
import { generateOpenMetrics } from "../support/synthetic/openmetrics";
import { runPromtool, startPrometheus, type RunningPrometheus } from "../support/prometheus";

const LABEL = "k8s_cluster";
const STEP = 30;
const END = Math.floor(Date.now() / 1000) - 60;
const START = END - 30 * 60;
const RANGE_S = 20 * 60;

const gone = allMetrics.filter((m) => m.source.exporter === metrics.kafka_brokers.source.exporter);
const goneSeries = new Set(gone.flatMap(seriesNames));

const dashboardFiles = buildPlatform(LABEL).files.filter((f) => f.path.startsWith("dashboards/"));
const dashboards = dashboardFiles.map((f) => readDashboard(JSON.parse(f.content), f.path));

/** The catalogue's synthetic data in clusters a and b, without b's kafka_exporter series. */
function twoClusters(): string {
  const { text } = generateOpenMetrics(allMetrics, { start: START, end: END, step: STEP, clusters: { label: LABEL, names: ["a", "b"] } });
  const inB = `${LABEL}="b"`;
  return text
    .split("\n")
    .filter((line) => !(line.includes(inB) && goneSeries.has(line.split(/[{ ]/)[0]!)))
    .join("\n");
}

let prometheus: RunningPrometheus;
let client: PrometheusClient;
let report: VerifyReport;

beforeAll(async () => {
  prometheus = await startPrometheus({
    prepare: (dataDir) => {
      const file = join(dataDir, "..", "two-clusters.om.txt");
      writeFileSync(file, twoClusters());
      runPromtool(["tsdb", "create-blocks-from", "openmetrics", "--quiet", file, dataDir]);
    },
    config: "global:\n  scrape_interval: 30s\n",
  });
  client = new PrometheusClient({ url: prometheus.url, auth: { kind: "none" }, timeoutMs: 30_000 });
  report = await verify({
    client,
    dashboards,
    groups: [],
    catalogue: allMetrics,
    rangeS: RANGE_S,
    scrapeIntervalS: STEP,
    now: END,
    checkLoadedRules: false,
    cluster: { label: LABEL, variable: CLUSTER_VARIABLE },
  });
}, 60_000);

afterAll(async () => {
  await client?.close();
  await prometheus?.stop();
});

const panels = () => report.results.filter((r) => r.kind === "panel");
const names = (expr: string) => new Set(expr.match(/[a-zA-Z_:][\w:]*/g) ?? []);
const readsGone = (expr: string) => [...names(expr)].some((n) => goneSeries.has(n));
const readsKept = (expr: string) => [...names(expr)].some((n) => !goneSeries.has(n) && allMetrics.some((m) => seriesNames(m).includes(n)) && n !== "up");
const statusIn = (cluster: string) => (r: VerifyReport["results"][number]) => r.clusters?.find((c) => c.cluster === cluster)?.status;

describe(`verify per cluster (${LABEL}: a with every exporter, b without kafka_exporter)`, () => {
  it("finds both clusters in the store and judges every panel target in each", () => {
    expect(report.clusters).toEqual({ label: LABEL, values: ["a", "b"] });
    expect(panels().length).toBe(dashboards.flatMap((d) => d.targets).length);
    for (const r of panels()) expect(r.clusters?.map((c) => c.cluster), `${r.dashboard} › ${r.panel}`).toEqual(["a", "b"]);
  });

  it("a panel reading only kafka_exporter is fine in a and empty in b, and the panel is reported empty", () => {
    const onlyGone = panels().filter((r) => readsGone(r.query) && !readsKept(r.query) && statusIn("a")(r) === "ok");
    expect(onlyGone.length).toBeGreaterThan(0);
    for (const r of onlyGone) {
      expect(statusIn("b")(r), `${r.dashboard} › ${r.panel}: ${r.query}`).toBe("empty");
      expect(r.status).toBe("empty");
      expect(r.detail).toContain("no data in cluster b (data in a)");
      expect(r.clusters?.find((c) => c.cluster === "b")).toMatchObject({ reason: "value-no-match", hint: expect.stringContaining("cluster b has none of it") });
    }
  });

  it("the cluster label is the store's, not catalogue drift", () => {
    expect(report.drift.findings.filter((f) => f.detail.includes(LABEL))).toEqual([]);
  });

  it("a panel reading no kafka_exporter metric looks the same in both clusters", () => {
    const untouched = panels().filter((r) => !readsGone(r.query));
    expect(untouched.length).toBeGreaterThan(10);
    for (const r of untouched) expect(statusIn("b")(r), `${r.dashboard} › ${r.panel}`).toBe(statusIn("a")(r));
    expect(untouched.filter((r) => statusIn("a")(r) === "ok").length).toBeGreaterThan(10);
  });

  it("the text report names each cluster and what is empty in it; the run fails", () => {
    const text = formatText(report, new Map(dashboards.map((d) => [d.uid, d.title])), prometheus.url);
    const emptyInB = panels().filter((r) => statusIn("b")(r) === "empty" && statusIn("a")(r) === "ok");
    expect(text).toMatch(new RegExp(`per cluster \\(${LABEL}, 2 found in the store\\):\\n  a: \\d+ of ${panels().length} panel targets with data`));
    const bLine = text.split("\n").find((l) => l.startsWith("  b: "))!;
    for (const r of emptyInB) expect(bLine).toContain(`${r.dashboard} › ${r.panel}`);
    expect(text).toMatch(/      cluster b: empty \(/);
    expect(exitCodeOf(report)).toBe(1);
  });

  it("npm run verify -- --cluster-label reports the same per cluster", () => {
    const out = mkdtempSync(join(tmpdir(), "verify-clusters-out-"));
    try {
      mkdirSync(join(out, "dashboards"));
      for (const f of dashboardFiles) writeFileSync(join(out, f.path), f.content);
      const args = ["scripts/verify.ts", "--prometheus", prometheus.url, "--out", out, "--cluster-label", LABEL, "--range", "20m", "--time", String(END), "--scrape-interval", "30s"];
      const run = spawnSync(join("node_modules", ".bin", "tsx"), args, { cwd: join(import.meta.dirname, "../.."), encoding: "utf8", timeout: 60_000 });
      expect(run.status, run.stderr).toBe(1);
      const emptyInB = panels().filter((r) => statusIn("b")(r) === "empty").map((r) => `${r.dashboard} › ${r.panel}`);
      expect(run.stdout).toContain(`per cluster (${LABEL}, 2 found in the store):`);
      expect(run.stdout).toContain(`  b: ${panels().length - emptyInB.length} of ${panels().length} panel targets with data; empty: ${emptyInB.join(", ")}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
