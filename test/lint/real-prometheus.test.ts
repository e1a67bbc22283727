// Proof on a real Prometheus: synthetic series for every catalogue metric are backfilled with
// promtool, then every panel target of out/dashboards/*.json and every rule expression of
// out/prometheus/*.yaml runs through the HTTP API. Needs Debian's `prometheus` package; when it
// is missing the test fails with the install command. Again in cluster mode: the same series in
// two clusters, and the build with clusterLabel on answers per cluster everywhere.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMetrics } from "../../catalogue/metrics";
import { seriesNames } from "../../src/model/metric";
import { readRuleGroups } from "../../src/lint/rules-file";
import { parsePromQL } from "../../src/lint/promql/parse";
import { startSyntheticPrometheus, syntheticWindow } from "../support/synthetic/prometheus";
import { panelTargets, type PanelTarget } from "../support/synthetic/queries";
import { instantQuery, queryData, type RunningPrometheus } from "../support/prometheus";
import { buildPlatform, type BuiltRule } from "../support/cluster-mode";

const WINDOW = syntheticWindow();
const END = WINDOW.end;

const OUT = join(import.meta.dirname, "../../out");
const FIXTURES = join(import.meta.dirname, "fixtures");

function jsonFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => join(dir, f)) : [];
}
function yamlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f)) : [];
}

let prometheus: RunningPrometheus | undefined;
let seriesCount = 0;
let setupError: Error | undefined;

/** The running server, or the setup error (e.g. the apt-get install hint). */
function server(): RunningPrometheus {
  if (setupError) throw setupError;
  return prometheus!;
}

/** Runs a dashboard's targets; returns one line per problem. */
async function checkTargets(targets: readonly PanelTarget[]): Promise<string[]> {
  const problems: string[] = [];
  for (const t of targets) {
    const where = `${t.dashboard} › ${t.panel} › ${t.refId}`;
    const outcome = await instantQuery(server().url, t.query, END);
    if (!outcome.ok) {
      problems.push(`${where}: query failed: ${outcome.error}\n    ${t.query}`);
      continue;
    }
    if (/\babsent(_over_time)?\s*\(/.test(t.expr)) continue; // empty is the healthy answer
    if (outcome.series.length === 0) {
      problems.push(`${where}: no series\n    ${t.query}`);
      continue;
    }
    const missing = t.legendLabels.filter((l) => !outcome.series.some((s) => s.metric[l]));
    if (missing.length) problems.push(`${where}: no series carries legend label(s) ${missing.join(", ")}\n    ${t.query}`);
  }
  return problems;
}

describe("queries on a real Prometheus", () => {
  beforeAll(async () => {
    try {
      ({ prometheus, seriesCount } = await startSyntheticPrometheus(allMetrics, WINDOW));
    } catch (e) {
      // Kept for every test to throw: a missing Prometheus must fail the tests, not skip them.
      setupError = e as Error;
    }
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it("has data for every series of every catalogue metric, with every closed label value", async () => {
    const problems: string[] = [];
    for (const metric of allMetrics) {
      for (const name of seriesNames(metric)) {
        const r = await instantQuery(server().url, `count(${name})`, END);
        if (!r.ok || r.series.length === 0) problems.push(`${name}: no data`);
      }
      for (const [label, values] of Object.entries(metric.values)) {
        const name = seriesNames(metric)[0]!;
        const r = await instantQuery(server().url, `count by (${label}) (${name})`, END);
        const seen = new Set(r.series.map((s) => s.metric[label]));
        for (const v of values ?? []) if (!seen.has(v)) problems.push(`${name}{${label}="${v}"}: missing`);
      }
    }
    expect(problems).toEqual([]);
    expect(seriesCount).toBeGreaterThan(0);
  });

  it("writes consistent histograms: +Inf bucket equals _count, buckets cumulative", async () => {
    for (const metric of allMetrics.filter((m) => m.type === "histogram")) {
      const diff = await instantQuery(server().url, `sum(${metric.name}_bucket{le="+Inf"}) - sum(${metric.name}_count)`, END);
      expect(diff.ok).toBe(true);
      const raw = await fetch(`${server().url}/api/v1/query?${new URLSearchParams({ query: `sum(${metric.name}_bucket{le="+Inf"}) - sum(${metric.name}_count)`, time: String(END) })}`);
      const value = ((await raw.json()) as { data: { result: { value: [number, string] }[] } }).data.result[0]?.value[1];
      expect(value).toBe("0");
      // Cumulative: each bucket holds at least as much as the one below it.
      const les = await instantQuery(server().url, `count by (le) (${metric.name}_bucket)`, END);
      const num = (le: string) => (le === "+Inf" ? Infinity : Number(le));
      const bounds = les.series.map((s) => s.metric.le!).sort((a, b) => num(a) - num(b));
      expect(bounds.at(-1)).toBe("+Inf");
      for (const [i, upper] of bounds.entries()) {
        if (i === 0) continue;
        const lower = bounds[i - 1]!;
        const q = `${metric.name}_bucket{le="${lower}"} > ignoring (le) ${metric.name}_bucket{le="${upper}"}`;
        const r = await instantQuery(server().url, q, END);
        expect(r.ok, q).toBe(true);
        expect(r.series, q).toEqual([]);
      }
    }
  });

  it("shows data in every panel of the fixture dashboard (pipeline check independent of out/)", async () => {
    const dashboard = JSON.parse(readFileSync(join(FIXTURES, "panels.json"), "utf8")) as Record<string, unknown>;
    const targets = panelTargets(dashboard);
    expect(targets).toHaveLength(4);
    expect(await checkTargets(targets)).toEqual([]);
  });

  it("detects an empty panel (a filter no series matches)", async () => {
    const problems = await checkTargets([
      { dashboard: "d", panel: "p", refId: "A", expr: "x", query: 'sum(rate(kong_http_requests_total{code="999"}[5m]))', legendLabels: [] },
      { dashboard: "d", panel: "p", refId: "B", expr: "x", query: "sum(rate(kong_http_requests_total[5m]))", legendLabels: ["service"] },
      { dashboard: "d", panel: "p", refId: "C", expr: "x", query: "sum(rate(kong_http_requests_total[5m]", legendLabels: [] },
    ]);
    expect(problems.map((p) => p.split(":")[0])).toEqual(["d › p › A", "d › p › B", "d › p › C"]);
  });

  it("shows data in every panel of out/dashboards/*.json", async () => {
    const files = jsonFiles(join(OUT, "dashboards"));
    const problems: string[] = [];
    for (const file of files) {
      const dashboard = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      problems.push(...(await checkTargets(panelTargets(dashboard))).map((p) => `${file}: ${p}`));
    }
    if (files.length === 0) console.warn("no out/dashboards/*.json yet: run npm run build first");
    expect(problems).toEqual([]);
  });

  it("evaluates every alert and recording rule expression of out/prometheus/*.yaml", async () => {
    const problems: string[] = [];
    let count = 0;
    for (const file of yamlFiles(join(OUT, "prometheus"))) {
      for (const source of readRuleGroups(readFileSync(file, "utf8"), false))
        for (const group of source.groups as { name?: string; rules?: { alert?: string; record?: string; expr?: string }[] }[])
          for (const rule of group.rules ?? []) {
            if (typeof rule.expr !== "string") continue;
            count++;
            const r = await instantQuery(server().url, rule.expr, END);
            if (!r.ok) problems.push(`${file}: ${group.name} › ${rule.alert ?? rule.record}: ${r.error}`);
            // Recording rules feed dashboards: they must produce series.
            else if (rule.record && r.series.length === 0) problems.push(`${file}: ${group.name} › ${rule.record}: no series`);
          }
    }
    if (count === 0) console.warn("no rules in out/prometheus/*.yaml yet: run npm run build first");
    expect(problems).toEqual([]);
  });

  describe("in cluster mode: the same series in clusters a and b, the build with clusterLabel on", () => {
    const clusters = { label: "k8s_cluster", names: ["a", "b"] } as const;
    const single = buildPlatform();
    const clustered = buildPlatform(clusters.label);
    let store: RunningPrometheus | undefined;

    beforeAll(async () => {
      ({ prometheus: store } = await startSyntheticPrometheus(allMetrics, { ...WINDOW, clusters }));
    }, 60_000);

    afterAll(async () => {
      await store?.stop();
    });

    /**
     * Compares `query` on the one-cluster store with `clusterQuery` on the two-cluster one: each
     * cluster must answer exactly what the one cluster answers (same series, same values), every
     * series labelled with its cluster. Returns the problems, and whether the answer had series.
     */
    async function samePerCluster(where: string, query: string, clusterQuery: string): Promise<{ problems: string[]; series: number }> {
      if (!store) throw new Error("the two-cluster Prometheus did not start");
      const one = await answer(server().url, query);
      const both = await answer(store.url, clusterQuery);
      if (typeof one === "string" || typeof both === "string") return { problems: [`${where}: ${[one, both].filter((a) => typeof a === "string").join("; ")}`], series: 0 };
      const problems: string[] = [];
      const unlabelled = both.filter((s) => s.labels[clusters.label] === undefined);
      if (unlabelled.length) problems.push(`${where}: series without ${clusters.label}: ${unlabelled.map((s) => key(s.labels)).join(" ")}\n    ${clusterQuery}`);
      const expected = new Map(one.map((s) => [key(s.labels), s.value]));
      for (const cluster of clusters.names) {
        const got = new Map(both.filter((s) => s.labels[clusters.label] === cluster).map(({ labels: { [clusters.label]: _, ...labels }, value }) => [key(labels), value]));
        const differ = [...new Set([...expected.keys(), ...got.keys()])].filter((k) => !sameValue(expected.get(k), got.get(k)));
        if (differ.length) problems.push(`${where}: ${clusters.label}="${cluster}" answers ${differ.map((k) => `${k} ${got.get(k) ?? "(none)"} instead of ${expected.get(k) ?? "(none)"}`).slice(0, 3).join(", ")}\n    ${clusterQuery}`);
      }
      return { problems, series: one.length };
    }

    /** Whether every selector of `expr` has series on the one-cluster store. */
    async function selectorsWithData(expr: string): Promise<boolean> {
      const parsed = parsePromQL(expr, { durations: new Map(), selectorLabels: () => null });
      for (const n of parsed.nodes.filter((n) => n.kind === "selector")) {
        const found = await answer(server().url, expr.slice(n.from, n.to));
        if (typeof found === "string" || found.length === 0) return false;
      }
      return true;
    }

    it("every panel query answers for each cluster what it answers for one, every series labelled with its cluster", async () => {
      const byPlace = (t: PanelTarget) => `${t.dashboard} › ${t.panel} › ${t.refId}`;
      const clusterTargets = new Map(clustered.targets.map((t) => [byPlace(t), t]));
      expect([...clusterTargets.keys()]).toEqual(single.targets.map(byPlace));
      const problems: string[] = [];
      let answered = 0;
      for (const t of single.targets) {
        const compared = await samePerCluster(byPlace(t), t.query, clusterTargets.get(byPlace(t))!.query);
        problems.push(...compared.problems);
        if (compared.series > 0) answered++;
      }
      expect(problems).toEqual([]);
      // Only "not deployed"/absence panels answer nothing on a healthy store.
      expect(answered).toBe(single.targets.filter((t) => !/\babsent(_over_time)?\s*\(/.test(t.expr)).length);
    });

    it("every recording rule and alert condition answers per cluster what it answers for one cluster", async () => {
      const byPlace = (r: BuiltRule) => `${r.file}: ${r.group} › ${r.name}`;
      const clusterRules = new Map(clustered.rules.map((r) => [byPlace(r), r]));
      expect([...clusterRules.keys()]).toEqual(single.rules.map(byPlace));
      const problems: string[] = [];
      const empty: string[] = [];
      for (const rule of single.rules) {
        const clusterRule = clusterRules.get(byPlace(rule))!;
        const pairs: [string, string, string][] = [[byPlace(rule), rule.expr, clusterRule.expr]];
        // Alerts rarely fire on a healthy store: compare every series their condition looks at too.
        const [all, clusterAll] = [everySeriesOf(rule.expr), everySeriesOf(clusterRule.expr)];
        if (rule.alert && all && clusterAll) pairs.push([`${byPlace(rule)} (every series, comparisons as bool)`, all, clusterAll]);
        let series = 0;
        for (const [where, query, clusterQuery] of pairs) {
          const compared = await samePerCluster(where, query, clusterQuery);
          problems.push(...compared.problems);
          series += compared.series;
        }
        if (series === 0 && !/\babsent\s*\(|\bunless\b/.test(rule.expr) && (await selectorsWithData(rule.expr))) empty.push(byPlace(rule));
      }
      expect(problems).toEqual([]);
      // What answers nothing either waits for something to go missing, or reads a series the synthetic data lack.
      expect(empty).toEqual([]);
    });
  });
});

const key = (labels: Readonly<Record<string, string>>) => JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))));

/** An instant query's answer, or the error. */
async function answer(url: string, query: string): Promise<{ labels: Record<string, string>; value: string }[] | string> {
  const r = await queryData(url, query, { time: END });
  if (!r.ok) return `${r.error}: ${query}`;
  if (r.data.resultType !== "vector") return `answers a ${r.data.resultType}: ${query}`;
  return (r.data.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({ labels: s.metric, value: s.value[1] }));
}

/** Equal values, up to the last bits a different summation order changes. */
function sameValue(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const [x, y] = [Number(a), Number(b)];
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

/**
 * An alert's condition with every comparison turned into `bool`: its answer then holds every series
 * the condition looks at (1 where it breaches, 0 elsewhere) with the labels the alert would carry,
 * so a healthy store still shows them. Undefined when it compares nothing (an absence guard).
 */
function everySeriesOf(expr: string): string | undefined {
  const parsed = parsePromQL(expr, { durations: new Map(), selectorLabels: () => null });
  if (parsed.hasSyntaxErrors) throw new Error(`does not parse: ${expr}`);
  const ends = parsed.nodes.flatMap((n) => {
    if (n.kind !== "binary" || n.bool || !["==", "!=", ">", "<", ">=", "<="].includes(n.op)) return [];
    const at = expr.indexOf(n.op, n.lhs.to);
    if (at < 0 || at >= n.rhs.from) throw new Error(`no ${n.op} between the operands of ${expr.slice(n.from, n.to)}`);
    return [at + n.op.length];
  });
  if (ends.length === 0) return undefined;
  return ends.sort((a, b) => b - a).reduce((out, end) => `${out.slice(0, end)} bool${out.slice(end)}`, expr);
}
