// verify in cluster mode, on a real Prometheus holding two clusters: a with every exporter, b
// without kafka_exporter. The dashboards are the cluster-mode build (label k8s_cluster); verify
// judges each panel per cluster found in the store. Expectations come from the catalogue (which
// metrics kafka_exporter emits) and a reading of each query's metric names, not from verify.
// Prometheus also evaluates two alerts every second: one that needs kafka_exporter (fires in a,
// can never fire in b) and the platform's KafkaExporterAbsent (fires in b only); verify reports
// each rule per cluster, from /api/v1/rules and, as for a separate ruler, from ALERTS.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMetrics, metrics } from "../../catalogue/metrics";
import { CLUSTER_VARIABLE } from "../../src/kit/promql";
import { seriesNames } from "../../src/model/metric";
import { PrometheusClient } from "../../src/verify/client";
import { readDashboard, readRuleFile } from "../../src/verify/inputs";
import { formatJson, formatText } from "../../src/verify/report";
import { exitCodeOf, verify, type VerifyReport } from "../../src/verify/verify";
import { buildPlatform } from "../support/cluster-mode";
import { generateOpenMetrics } from "../support/synthetic/openmetrics";
import { instantQuery, runPromtool, startPrometheus, type RunningPrometheus } from "../support/prometheus";

const LABEL = "k8s_cluster";
const STEP = 30;
const END = Math.floor(Date.now() / 1000) - 60;
const START = END - 30 * 60;
const RANGE_S = 20 * 60;

const gone = allMetrics.filter((m) => m.source.exporter === metrics.kafka_brokers.source.exporter);
const goneSeries = new Set(gone.flatMap(seriesNames));

const platform = buildPlatform(LABEL);
const dashboardFiles = platform.files.filter((f) => f.path.startsWith("dashboards/"));
const dashboards = dashboardFiles.map((f) => readDashboard(JSON.parse(f.content), f.path));

/** Needs kafka_exporter, so it fires in a and can never fire in b. */
const NEEDS_EXPORTER = "KafkaBrokersReported";
/** The platform's absence guard: fires where kafka_exporter is missing, i.e. in b. */
const GUARD = platform.rules.find((r) => r.name === "KafkaExporterAbsent")!;
const RULES_FILE = "verify-clusters.rules.yaml";
const rulesYaml = [
  "groups:",
  "  - name: verify-clusters",
  "    rules:",
  `      - alert: ${NEEDS_EXPORTER}`,
  `        expr: ${JSON.stringify(`count by (${LABEL}) (${metrics.kafka_brokers.name}) > 0`)}`,
  `      - alert: ${GUARD.name}`,
  `        expr: ${JSON.stringify(GUARD.expr)}`,
  "",
].join("\n");
const ruleGroups = readRuleFile(rulesYaml, RULES_FILE);

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
/** Rules only, now: states from /api/v1/rules, and from ALERTS (as with a separate ruler). */
let rulesLoaded: VerifyReport;
let rulesFromSeries: VerifyReport;

/** Alerts in ALERTS now, as "alertname cluster state", read back without verify. */
async function activeAlerts(time: number): Promise<string[]> {
  const r = await instantQuery(prometheus.url, "ALERTS", time);
  return r.series.map((s) => `${s.metric.alertname} ${s.metric[LABEL]} ${s.metric.alertstate}`).sort();
}

/** Until every rule has been evaluated and both alerts are in ALERTS (evaluation every second). */
async function evaluated(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rules = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: { rules: { health: string }[] }[] } };
    const healthy = rules.data.groups.flatMap((g) => g.rules).every((r) => r.health === "ok");
    if (healthy && (await activeAlerts(Math.floor(Date.now() / 1000))).length === 2) return;
    if (Date.now() > deadline) throw new Error(`rules not evaluated after 30 s: ${JSON.stringify(rules)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  prometheus = await startPrometheus({
    prepare: (dataDir) => {
      const file = join(dataDir, "..", "two-clusters.om.txt");
      writeFileSync(file, twoClusters());
      runPromtool(["tsdb", "create-blocks-from", "openmetrics", "--quiet", file, dataDir]);
      writeFileSync(join(dataDir, "..", RULES_FILE), rulesYaml);
    },
    config: `global:\n  scrape_interval: 30s\n  evaluation_interval: 1s\nrule_files: [${RULES_FILE}]\n`,
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
  await evaluated();
  const judgeRules = (checkLoadedRules: boolean) =>
    verify({ client, dashboards: [], groups: ruleGroups, catalogue: allMetrics, rangeS: RANGE_S, scrapeIntervalS: STEP, checkLoadedRules, cluster: { label: LABEL, variable: CLUSTER_VARIABLE } });
  [rulesLoaded, rulesFromSeries] = await Promise.all([judgeRules(true), judgeRules(false)]);
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

  describe("rules per cluster", () => {
    const rule = (r: VerifyReport, name: string) => r.results.find((x) => x.rule === name)!;
    const sources = [
      ["/api/v1/rules", () => rulesLoaded],
      ["ALERTS (a separate ruler)", () => rulesFromSeries],
    ] as const;

    it.each(sources)("states per cluster from %s: each alert fires only where its condition holds", async (_, get) => {
      const r = get();
      expect(r.loadedRules.checked).toBe(r === rulesLoaded);
      expect(rule(r, NEEDS_EXPORTER).clusters?.map((c) => [c.cluster, c.alertState, c.series])).toEqual([["a", "firing", 1], ["b", "inactive", 0]]);
      expect(rule(r, GUARD.name).clusters?.map((c) => [c.cluster, c.alertState, c.series])).toEqual([["a", "inactive", 0], ["b", "firing", 1]]);
      // The same as ALERTS read back by cluster, without verify.
      const fromVerify = r.results.flatMap((x) => (x.clusters ?? []).filter((c) => c.alertState === "firing").map((c) => `${x.rule} ${c.cluster} firing`));
      expect(fromVerify.sort()).toEqual(await activeAlerts(r.time));
    });

    it.each(sources)("from %s: the alert whose input b lacks is empty there, the absence guard is not", (_, get) => {
      const needs = rule(get(), NEEDS_EXPORTER);
      expect(needs.status).toBe("empty");
      expect(needs.detail).toContain("its inputs are missing in cluster b (present in a)");
      expect(needs.clusters?.find((c) => c.cluster === "a")).toMatchObject({ status: "ok", reason: null });
      expect(needs.clusters?.find((c) => c.cluster === "b")).toMatchObject({
        status: "empty",
        reason: "value-no-match",
        detail: expect.stringContaining(`${LABEL}="b"`),
        hint: expect.stringContaining("the alert can never fire there: cluster b has none of it"),
      });
      // Its input (right of `unless`) is missing in b by design: that is when it fires.
      const guard = rule(get(), GUARD.name);
      expect(guard.status).toBe("ok");
      expect(guard.clusters?.map((c) => c.status)).toEqual(["ok", "ok"]);
      expect(exitCodeOf(get())).toBe(1);
    });

    it("text and JSON outputs carry each rule's state per cluster", () => {
      const text = formatText(rulesLoaded, new Map(), prometheus.url);
      const block = (name: string) => text.slice(text.indexOf(`  ${name}`)).split("\n").slice(1, 3);
      expect(block(NEEDS_EXPORTER)).toEqual([expect.stringMatching(/^      found: its inputs are missing in cluster b/), expect.stringMatching(/^      do: /)]);
      expect(text).toContain("      cluster a: firing, ok, 1 series\n      cluster b: inactive, empty (value-no-match): ");
      expect(text).toContain(`  ${GUARD.name}`);
      expect(text).toContain("      cluster a: inactive, ok, 0 series\n      cluster b: firing, ok, 1 series\n");
      expect(text).toContain(`alerts now: ${NEEDS_EXPORTER} firing (a), ${GUARD.name} firing (b)`);
      expect(text).toMatch(new RegExp(`  a: 0 of 0 panel targets with data; alerts now: ${NEEDS_EXPORTER} firing\\n`));
      expect(text).toMatch(new RegExp(`  b: 0 of 0 panel targets with data; alerts now: ${GUARD.name} firing; rules without inputs: verify-clusters › ${NEEDS_EXPORTER}\\n`));
      const json = JSON.parse(formatJson(rulesLoaded, prometheus.url)) as { results: { rule: string; clusters: { cluster: string; alertState: string; status: string }[] }[] };
      expect(json.results.find((x) => x.rule === GUARD.name)?.clusters.map((c) => `${c.cluster} ${c.alertState} ${c.status}`)).toEqual(["a inactive ok", "b firing ok"]);
    });
  });
});
