// What the panels say about their data sources agrees with the catalogue: the Envoy stats Istio
// must include (README and catalogue), the namespace filter on Envoy stats, and the note on every
// panel whose metric nothing emits yet.

import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { allMetrics, envoyInclusionRegexps, envoyStats, upstreamNamespace } from "../../catalogue/metrics";
import { matches } from "../../src/kit/promql";

const root = join(import.meta.dirname, "../..");

describe("Envoy cluster stats", () => {
  const envoyMetrics = allMetrics.filter((m) => m.name.startsWith("envoy_cluster_")).map((m) => m.name);

  it("the inclusion list names exactly the Envoy stats the catalogue declares", () => {
    expect(envoyStats.map((stat) => `envoy_cluster_${stat.replaceAll(".", "_")}`).sort()).toEqual([...envoyMetrics].sort());
  });

  it("each regexp matches its own stat on an outbound cluster, and no longer or inbound stat", () => {
    const cluster = "cluster.outbound|8080||ingestion-api.carbon.svc.cluster.local";
    for (const [i, stat] of envoyStats.entries()) {
      const full = new RegExp(`^(?:${envoyInclusionRegexps[i]})$`); // Envoy's safe_regex matches the whole name
      expect(full.test(`${cluster}.${stat}`), stat).toBe(true);
      expect(full.test(`${cluster}.${stat}_overflow`), stat).toBe(false);
      expect(full.test(`cluster.inbound|8080||.${stat}`), stat).toBe(false);
      expect(envoyInclusionRegexps.filter((r) => new RegExp(`^(?:${r})$`).test(`${cluster}.${stat}`))).toHaveLength(1);
    }
  });

  it("the README's proxyStatsMatcher block is the catalogue's list", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes("proxyStatsMatcher"));
    const config = parse(block ?? "") as { meshConfig: { defaultConfig: { proxyStatsMatcher: { inclusionRegexps: string[] } } } };
    expect(config.meshConfig.defaultConfig.proxyStatsMatcher.inclusionRegexps).toEqual(envoyInclusionRegexps);
  });

  it("$namespace on Envoy stats selects the upstream service's namespace in the cluster name", () => {
    const one = new RegExp(`^(?:${upstreamNamespace({ op: "=", value: "carbon" }).value})$`);
    expect(one.test("outbound|8080||ingestion-api.carbon.svc.cluster.local")).toBe(true);
    expect(one.test("outbound|8080|v1|ingestion-api.carbon.svc.cluster.local")).toBe(true);
    expect(one.test("outbound|8080||ingestion-api.carbon-dev.svc.cluster.local")).toBe(false);
    expect(one.test("outbound|8080||carbon.other.svc.cluster.local")).toBe(false);
    expect(one.test("inbound|8080||")).toBe(false);
    // A multi-value variable as Grafana renders it in a regex: (a|b).
    const several = new RegExp(`^(?:${upstreamNamespace(matches("$namespace")).value.replace("$namespace", "(carbon|audit)")})$`);
    expect(several.test("outbound|80||sink.audit.svc.cluster.local")).toBe(true);
    expect(() => upstreamNamespace({ op: "!=", value: "carbon" })).toThrow(/= or =~/);
  });
});

describe("panels on metrics nothing emits yet", () => {
  const pending = allMetrics.filter((m) => m.source.pending);
  const panels = readdirSync(join(root, "out/dashboards"))
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => (JSON.parse(readFileSync(join(root, "out/dashboards", f), "utf8")) as { panels: { title: string; description: string; targets: { expr: string }[] }[] }).panels);
  // Read from the compiled queries, independently of how the compiler derives the note.
  const reads = (panel: (typeof panels)[number], name: string) => panel.targets.some((t) => new RegExp(`\\b${name}(_bucket|_sum|_count)?\\b`).test(t.expr));

  it("the catalogue marks the platform's own metrics as not emitted yet", () => {
    expect(pending.map((m) => m.name).sort()).toEqual(allMetrics.filter((m) => m.source.owner === "platform").map((m) => m.name).sort());
  });

  it("every panel reading one says so in its description, naming it; no other panel does", () => {
    expect(panels.length).toBeGreaterThanOrEqual(27);
    let noted = 0;
    for (const panel of panels) {
      const names = pending.filter((m) => reads(panel, m.name)).map((m) => m.name);
      for (const name of names) expect(panel.description, panel.title).toContain(`No data yet: nothing emits ${name} until`);
      if (names.length === 0) expect(panel.description, panel.title).not.toContain("No data yet");
      noted += names.length ? 1 : 0;
    }
    expect(noted).toBeGreaterThanOrEqual(7);
  });
});
