// verify on a cluster with deliberate gaps (derived from the catalogue: no Envoy cluster stats,
// Kong without status codes, no kafka_exporter, Kong's `service` label renamed): exactly the
// panels and rules that read what is missing are reported, each with the reason and the
// catalogue's hint; everything else is ok. Expectations come from an independent reading of
// each query's metric names, not from verify's own parser.

import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMetrics } from "../../catalogue/metrics";
import { counter, family } from "../../src/kit/metric";
import { seriesNames, type AnyMetric } from "../../src/model/metric";
import { PrometheusClient } from "../../src/verify/client";
import { readDashboard, readOut } from "../../src/verify/inputs";
import type { Result, RuleGroupDef } from "../../src/verify/types";
import { exitCodeOf, verify, type VerifyReport } from "../../src/verify/verify";
import type { RunningPrometheus } from "../support/prometheus";
import { deliberateGaps, END, START, startScenario, STEP, withGaps, type Gaps } from "./scenario";

const gaps: Gaps = deliberateGaps();
const out = readOut(new URL("../../out", import.meta.url).pathname);

// A group deployed on the server that fails at evaluation (many-to-many matching).
const BROKEN_GROUP = `groups:
  - name: verify-broken
    rules:
      - record: topic:kafka_log_log_size:ratio
        expr: kafka_log_log_size / on () kafka_log_log_size
`;

// An exporter that announces a gauge of the catalogue as a counter (read from /api/v1/metadata).
const WRONG_TYPE_METRIC = "kong_datastore_reachable";
// Purpose-made series for the reasons the catalogue gaps do not produce, and their declaration.
const { verify_demo_requests_total: demoMetric } = family(
  { id: "demo", exporter: "demo exporter", owner: "upstream", reference: "demo reference" },
  { verify_demo_requests_total: counter({ help: "Demo requests.", unit: "short", labels: ["mode", "kind"], values: { mode: ["fast", "slow"] } }) },
);

function demoSeries(): string {
  const lines: string[] = [];
  const emit = (name: string, labels: string, every: number, until: number, value: (t: number) => number) => {
    for (let t = START; t <= until; t += every) lines.push(`${name}${labels} ${value(t)} ${t}`);
  };
  emit("verify_demo_requests_total", '{mode="turbo",kind="a"}', STEP, END, (t) => (t - START) * 2);
  emit("verify_demo_requests_total", '{mode="eco",kind="b"}', STEP, END, (t) => (t - START) * 3);
  emit("verify_demo_sparse_total", "", 600, END, (t) => t - START);
  emit("verify_demo_stopped", "", STEP, END - 1800, () => 7);
  return lines.join("\n");
}

const demoTarget = (title: string, expr: string, extra: Record<string, unknown> = {}) => ({ title, type: "timeseries", targets: [{ refId: "A", expr, ...extra }] });
const demoDashboard = readDashboard(
  {
    uid: "demo",
    title: "Demo",
    templating: { list: [{ name: "kind", type: "query", multi: true, includeAll: true, current: { value: ["$__all"] } }] },
    panels: [
      demoTarget("Absent", "sum(rate(verify_demo_never_total[2m]))"),
      demoTarget("Label", 'sum(rate(verify_demo_requests_total{zone="x"}[2m]))'),
      demoTarget("Value", 'sum(rate(verify_demo_requests_total{kind="c"}[2m]))'),
      demoTarget("Outside", 'sum(rate(verify_demo_requests_total{mode="fast"}[2m]))'),
      demoTarget("Combination", 'sum(rate(verify_demo_requests_total{mode="turbo", kind="b"}[2m]))'),
      demoTarget("Sparse", "sum(rate(verify_demo_sparse_total[2m]))"),
      demoTarget("Stopped", "verify_demo_stopped", { instant: true, range: false }),
      demoTarget("Filtered", "sum(rate(verify_demo_requests_total[2m])) > 1e9"),
      demoTarget("Unmatched", 'sum by (kind) (rate(verify_demo_requests_total{mode="turbo"}[2m])) / on (kind) sum by (kind) (rate(verify_demo_requests_total{mode="eco"}[2m]))'),
      demoTarget("Legend", "sum by (zone) (rate(verify_demo_requests_total[2m]))", { legendFormat: "{{zone}}" }),
      demoTarget("Variable", 'sum(rate(verify_demo_requests_total{kind=~"$kind"}[$__rate_interval]))'),
    ],
  },
  "demo.json",
);

let exporter: Server;
let prometheus: RunningPrometheus;
let client: PrometheusClient;
let report: VerifyReport;

/** Positions of catalogue metrics named in `expr`, outside absent(...). */
function metricsIn(expr: string): { metric: AnyMetric; at: number }[] {
  const text = expr.replace(/absent(_over_time)?\([^()]*(\([^()]*\)[^()]*)*\)/g, (m) => " ".repeat(m.length));
  return allMetrics
    .flatMap((metric) => seriesNames(metric).flatMap((name) => [...text.matchAll(new RegExp(`\\b${name}\\b`, "g"))].map((m) => ({ metric, at: m.index! }))))
    .sort((a, b) => a.at - b.at);
}

interface Expected {
  readonly status: "ok" | "empty";
  readonly reason?: string;
  readonly metric?: AnyMetric;
}

/** What a query should show under the gaps: the first missing metric or renamed filter label decides. */
function expected(expr: string, filtersLabels: boolean): Expected {
  for (const { metric, at } of metricsIn(expr)) {
    if (gaps.dropped.has(metric.name)) return { status: "empty", reason: "metric-absent", metric };
    const selector = /^[a-zA-Z_:][\w:]*(\{[^}]*\})?/.exec(expr.slice(at))![0];
    if (filtersLabels && gaps.renamed.has(metric.name) && /[{,]\s*service\s*(=~|=|!~|!=)/.test(selector))
      return { status: "empty", reason: "label-missing", metric };
  }
  return { status: "ok" };
}

beforeAll(async () => {
  exporter = createServer((req, res) => {
    res.setHeader("content-type", "text/plain; version=0.0.4");
    res.end(`# HELP ${WRONG_TYPE_METRIC} announced with the wrong type\n# TYPE ${WRONG_TYPE_METRIC} counter\n${WRONG_TYPE_METRIC} 1\n`);
  });
  await new Promise<void>((resolve) => exporter.listen(0, "127.0.0.1", resolve));
  const port = (exporter.address() as { port: number }).port;
  prometheus = await startScenario({
    metrics: withGaps(gaps),
    extraOpenMetrics: demoSeries(),
    extraRules: { "verify-broken.yaml": BROKEN_GROUP },
    scrapeConfigs: `  - job_name: wrong-type\n    scrape_interval: 1s\n    static_configs: [{ targets: ["127.0.0.1:${port}"] }]`,
  });
  // Until the exporter's metadata has been scraped.
  for (let i = 0; i < 100; i++) {
    const meta = (await (await fetch(`${prometheus.url}/api/v1/metadata?metric=${WRONG_TYPE_METRIC}`)).json()) as { data: Record<string, unknown> };
    if (meta.data[WRONG_TYPE_METRIC]) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  client = new PrometheusClient({ url: prometheus.url, auth: { kind: "none" } });
  report = await verify({ client, dashboards: out.dashboards, groups: out.groups, catalogue: allMetrics, rangeS: 3600, scrapeIntervalS: STEP, now: END });
  if (process.env.SHOW) console.log((await import("../../src/verify/report")).formatText(report, new Map(), prometheus.url));
}, 90_000);

afterAll(async () => {
  await client?.close();
  await prometheus?.stop();
  await new Promise((r) => exporter?.close(r));
});

const panels = () => report.results.filter((r) => r.kind === "panel");
const rules = () => report.results.filter((r) => r.kind === "rule");
const where = (r: Result) => (r.kind === "panel" ? `${r.dashboard} › ${r.panel} › ${r.refId}` : `${r.group} › ${r.rule}`);

describe("verify with deliberate gaps", () => {
  it("the gaps hit something in every dashboard's catalogue area", () => {
    expect(gaps.dropped.size).toBeGreaterThan(5);
    expect([...gaps.renamed].length).toBeGreaterThan(0);
  });

  it("reports exactly the panels that read a missing metric or a renamed label as empty, with reason and the catalogue's hint", () => {
    const targets = out.dashboards.flatMap((d) => d.targets);
    expect(panels()).toHaveLength(targets.length);
    const problems: string[] = [];
    for (const [i, r] of panels().entries()) {
      const want = expected(targets[i]!.expr, true);
      if (r.status !== want.status || r.reason !== (want.reason ?? null)) {
        problems.push(`${where(r)}: got ${r.status}/${r.reason} (${r.detail}), want ${want.status}/${want.reason ?? "-"}`);
        continue;
      }
      if (r.status === "ok") expect(r.series, where(r)).toBeGreaterThan(0);
      if (want.reason === "metric-absent") {
        expect(r.detail, where(r)).toContain(seriesNames(want.metric!).find((n) => targets[i]!.expr.includes(n)));
        expect(r.hint, where(r)).toContain(want.metric!.source.exporter);
        if (want.metric!.source.requires) expect(r.hint, where(r)).toContain(want.metric!.source.requires);
      }
      if (want.reason === "label-missing") {
        expect(r.detail, where(r)).toMatch(/never carries the label service/);
        expect(r.hint, where(r)).toContain("not declared in the catalogue: exported_service");
        expect(r.hint, where(r)).toContain("honorLabels");
      }
    }
    expect(problems).toEqual([]);
    expect(panels().filter((r) => r.status === "empty").length).toBeGreaterThan(5);
    expect(panels().filter((r) => r.status === "ok").length).toBeGreaterThan(5);
  });

  it("reports rules whose input is absent as never able to fire; the rest ok", () => {
    const problems: string[] = [];
    for (const r of rules().filter((r) => r.group !== "verify-broken")) {
      const rule = out.groups.flatMap((g) => g.rules).find((x) => x.name === r.rule)!;
      const want = expected(rule.expr, false);
      if (r.status !== want.status || r.reason !== (want.reason ?? null)) problems.push(`${where(r)}: got ${r.status}/${r.reason} (${r.detail}), want ${want.status}/${want.reason ?? "-"}`);
      else if (want.metric) {
        expect(r.hint, where(r)).toMatch(/^(the alert can never fire|the rule records nothing): /);
        expect(r.hint, where(r)).toContain(want.metric.source.exporter);
      }
    }
    expect(problems).toEqual([]);
    expect(rules().some((r) => r.status === "empty")).toBe(true);
  });

  it("reports the alerts firing or pending now, as Prometheus has them", async () => {
    const alerts = await client.query("ALERTS", Math.floor(Date.now() / 1000));
    const active = new Set(alerts.series.map((s) => s.metric.alertname));
    // absent(kafka_brokers) is true from the first evaluation.
    expect(active.has("KafkaExporterAbsent")).toBe(true);
    for (const r of rules().filter((r) => r.alertState !== null)) expect(r.alertState !== "inactive", where(r)).toBe(active.has(r.rule!));
    expect(rules().filter((r) => r.alertState === null).every((r) => out.groups.flatMap((g) => g.rules).find((x) => x.name === r.rule)?.kind === "record")).toBe(true);
  });

  it("exits 1", () => {
    expect(exitCodeOf(report)).toBe(1);
  });

  it("lists catalogue drift: the renamed label, the type the exporter announces", () => {
    const drift = report.drift.findings.map((f) => `${f.metric} ${f.kind} ${f.detail}`);
    for (const name of gaps.renamed) {
      expect(drift).toContainEqual(expect.stringMatching(new RegExp(`^${name} label-undeclared .*exported_service`)));
      expect(drift).toContainEqual(expect.stringMatching(new RegExp(`^${name} label-unseen .*service`)));
    }
    expect(drift).toContainEqual(expect.stringMatching(new RegExp(`^${WRONG_TYPE_METRIC} type-mismatch .*counter.*gauge`)));
    expect(report.drift.present).toBe(allMetrics.length - gaps.dropped.size);
    // Nothing else drifts: the data follows the catalogue.
    expect(drift.filter((d) => !d.includes("exported_service") && !/ label-unseen /.test(d) && !d.startsWith(WRONG_TYPE_METRIC))).toEqual([]);
  });
});

describe("rules as loaded", () => {
  const rulesOf = (groups: readonly RuleGroupDef[], name: string) => report.results.find((r) => r.kind === "rule" && groups.some((g) => g.rules.some((x) => x.name === name)) && r.rule === name);

  it("passes every group of out/ loaded unchanged and healthy", () => {
    const loadedProblems = rules().filter((r) => r.group !== "verify-broken" && r.reason?.startsWith("rule-"));
    expect(loadedProblems.map(where)).toEqual([]);
    expect(report.loadedRules).toMatchObject({ checked: true });
    expect(rulesOf(out.groups, out.groups[0]!.rules[0]!.name)).toBeDefined();
  });

  it("finds a group that is not loaded, a rule that differs, and one that fails at evaluation", async () => {
    const [first, second] = out.groups;
    const changed = second!.rules.find((r) => r.kind === "alert")!;
    const groups: RuleGroupDef[] = [
      { ...first!, name: `${first!.name}-not-deployed`, rules: first!.rules.map((r) => ({ ...r, group: `${first!.name}-not-deployed` })) },
      { ...second!, rules: second!.rules.map((r) => (r === changed ? { ...r, expr: r.expr.replace(/(\d+(\.\d+)?)\s*$/, (n) => String(Number(n) * 2 + 1)) } : r)) },
      { name: "verify-broken", file: "verify-broken.yaml", rules: [{ group: "verify-broken", file: "verify-broken.yaml", name: "topic:kafka_log_log_size:ratio", kind: "record", expr: "kafka_log_log_size / on () kafka_log_log_size" }] },
    ];
    const r = await verify({ client, dashboards: [], groups, catalogue: allMetrics, rangeS: 3600, scrapeIntervalS: STEP, now: END });
    const by = (name: string) => r.results.find((x) => x.rule === name && x.group === groups.find((g) => g.rules.some((y) => y.name === name))!.name)!;
    for (const rule of groups[0]!.rules) expect(by(rule.name), rule.name).toMatchObject({ status: "error", reason: "rule-not-loaded" });
    expect(by(changed.name)).toMatchObject({ status: "error", reason: "rule-differs" });
    expect(by(changed.name).detail).toContain(changed.expr.replace(/\s+/g, " ").slice(0, 20));
    expect(second!.rules.filter((x) => x !== changed).map((x) => by(x.name).reason?.startsWith("rule-") ?? false)).not.toContain(true);
    const broken = by("topic:kafka_log_log_size:ratio");
    expect(broken).toMatchObject({ status: "error", reason: "rule-unhealthy" });
    expect(broken.detail).toMatch(/health err: .*(many-to-many|duplicate series)/);
  });
});

describe("each reason, on purpose-made series", () => {
  const run = (options: Partial<Parameters<typeof verify>[0]> = {}) =>
    verify({ client, dashboards: [demoDashboard], groups: [], catalogue: [...allMetrics, demoMetric], rangeS: 3600, scrapeIntervalS: STEP, now: END, checkLoadedRules: false, ...options });
  let demo: VerifyReport;
  const panel = (title: string) => demo.results.find((r) => r.panel === title)!;
  beforeAll(async () => {
    demo = await run({ allowEmpty: [{ target: "demo/Filtered" }, { target: "demo/Absent", when: ["filtered"] }, { target: "demo/Nope" }] });
  });

  it("names the reason and what was found", () => {
    const summary = Object.fromEntries(demo.results.map((r) => [r.panel, `${r.status} ${r.reason ?? "-"}`]));
    expect(summary).toEqual({
      Absent: "empty metric-absent",
      Label: "empty label-missing",
      Value: "empty value-no-match",
      Outside: "empty value-outside-catalogue",
      Combination: "empty no-match-combination",
      Sparse: "empty too-sparse",
      Stopped: "empty stale",
      Filtered: "empty filtered",
      Unmatched: "empty no-data",
      Legend: "ok label-missing",
      Variable: "ok -",
    });
    expect(panel("Absent").hint).toContain("not in the catalogue");
    expect(panel("Value").detail).toMatch(/kind="c" matches none of .*: a, b$/);
    expect(panel("Outside").detail).toMatch(/mode = eco, turbo, none of which the catalogue declares \(fast, slow\)/);
    expect(panel("Outside").hint).toContain("demo reference");
    expect(panel("Sparse").detail).toMatch(/about one every (8|9|10)m\d*s?: a 2m window needs 2$/);
    expect(panel("Legend").detail).toContain("zone");
    expect(demo.drift.findings.filter((f) => f.metric === demoMetric.name)).toEqual([
      { metric: demoMetric.name, kind: "value-outside-catalogue", detail: "mode takes eco, turbo, outside the declared fast, slow" },
    ]);
  });

  it("substitutes the All value, or the --var values regex-escaped", async () => {
    expect(panel("Variable").query).toBe('sum(rate(verify_demo_requests_total{kind=~".*"}[2m]))');
    const one = await run({ vars: new Map([["kind", ["a"]]]) });
    expect(one.results.find((r) => r.panel === "Variable")).toMatchObject({ status: "ok", series: 1, query: 'sum(rate(verify_demo_requests_total{kind=~"a"}[2m]))' });
    const none = await run({ vars: new Map([["kind", ["c", "d.e"]]]) });
    expect(none.results.find((r) => r.panel === "Variable")).toMatchObject({ status: "empty", reason: "value-no-match", query: 'sum(rate(verify_demo_requests_total{kind=~"(c|d\\\\.e)"}[2m]))' });
  });

  it("names the rule that records a missing recorded series", async () => {
    const recorded = out.groups.flatMap((g) => g.rules).find((r) => r.kind === "record" && expected(r.expr, false).reason === "metric-absent")!;
    const dashboard = readDashboard({ uid: "recorded", panels: [demoTarget("Recorded", `sum(${recorded.name})`)] }, "recorded.json");
    const r = await verify({ client, dashboards: [dashboard], groups: out.groups, catalogue: allMetrics, rangeS: 3600, scrapeIntervalS: STEP, now: END });
    expect(r.results.find((x) => x.kind === "panel")).toMatchObject({ status: "empty", reason: "metric-absent", hint: expect.stringContaining(`recorded by rule ${recorded.group}/${recorded.name}`) });
  });

  it("reports progress once per panel target and rule, up to the total", async () => {
    const calls: [number, number][] = [];
    await run({ onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual(demoDashboard.targets.map((_, i) => [i + 1, demoDashboard.targets.length]));
  });

  it("allows an empty panel only for the listed reasons, and names unused entries", () => {
    expect(panel("Filtered").allowed).toBe(true);
    expect(panel("Absent").allowed).toBe(false);
    expect(demo.unusedAllowEmpty).toEqual(["demo/Nope"]);
    expect(exitCodeOf(demo)).toBe(1);
  });
});
