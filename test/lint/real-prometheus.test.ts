// Proof on a real Prometheus: synthetic series for every catalogue metric are backfilled with
// promtool, then every panel target of out/dashboards/*.json and every rule expression of
// out/prometheus/*.yaml runs through the HTTP API. Needs Debian's `prometheus` package; when it
// is missing the test fails with the install command.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMetrics } from "../../catalogue/metrics";
import { seriesNames } from "../../src/model/metric";
import { readRuleGroups } from "../../src/lint/rules-file";
import { startSyntheticPrometheus, syntheticWindow } from "../support/synthetic/prometheus";
import { panelTargets, type PanelTarget } from "../support/synthetic/queries";
import { instantQuery, type RunningPrometheus } from "../support/prometheus";

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
});
