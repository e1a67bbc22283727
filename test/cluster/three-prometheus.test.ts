// Proof on a real topology: two "cluster" Prometheus servers (external_labels cluster a|b) scrape a
// live synthetic exporter every second and remote-write to a third, started with
// --web.enable-remote-write-receiver (the protocol Mimir and Thanos Receive accept). On the central
// one, the cluster-mode build's panels and alerts answer per cluster; an incident in cluster a only
// (10 % of Istio requests fail there, 0 % in b) fires only there, where the single-cluster build
// would average it to 5 % and stay silent.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMetrics } from "../../catalogue/metrics";
import { thresholds } from "../../catalogue/thresholds";
import { startClusterExporter, type ClusterExporter } from "../support/cluster-exporter";
import { instantQuery, queryData, runPromtool, startPrometheus, type RunningPrometheus } from "../support/prometheus";
import { buildPlatform } from "../support/cluster-mode";
import type { PanelTarget } from "../support/synthetic/queries";

const CLUSTERS = ["a", "b"] as const;
const INCIDENT = { a: 0.1, b: 0 };

const clustered = buildPlatform("cluster");
const single = buildPlatform();

let exporter: ClusterExporter | undefined;
const servers: RunningPrometheus[] = [];
let central: RunningPrometheus | undefined;

const clusterConfig = (cluster: string, writeTo: string) => `global:
  scrape_interval: 1s
  evaluation_interval: 1s
  external_labels: { cluster: ${cluster} }
scrape_configs:
  - job_name: synthetic
    metrics_path: /metrics/${cluster}
    static_configs: [{ targets: ["${exporter!.hostPort}"] }]
remote_write:
  - url: ${writeTo}/api/v1/write
    queue_config: { batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s }
`;

const now = () => Date.now() / 1000;
async function values(query: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const r = await queryData(central!.url, query, { time: now() });
  if (!r.ok) throw new Error(`${query}: ${r.error}`);
  if (r.data.resultType !== "vector") throw new Error(`${query}: ${r.data.resultType}`);
  return (r.data.result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({ labels: s.metric, value: Number(s.value[1]) }));
}
const clustersOf = (series: readonly { labels: Record<string, string> }[]) => [...new Set(series.map((s) => s.labels.cluster ?? "(none)"))].sort();
const forCluster = (t: PanelTarget, cluster: string) => ({ ...t, query: t.query.replaceAll('cluster=~".+"', `cluster=~"${cluster}"`) });

beforeAll(async () => {
  exporter = await startClusterExporter(allMetrics, CLUSTERS, INCIDENT);
  central = await startPrometheus({ args: ["--web.enable-remote-write-receiver"] });
  servers.push(central);
  for (const cluster of CLUSTERS) servers.push(await startPrometheus({ config: clusterConfig(cluster, central.url) }));
  // Until both clusters' samples have arrived and rate() has at least three of them per series.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const counts = await values('count by (cluster) (count_over_time(istio_requests_total{reporter="destination"}[1m]) >= 4)');
    if (counts.length === CLUSTERS.length) break;
    if (Date.now() > deadline) throw new Error(`remote write did not deliver both clusters in 30 s: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}, 50_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await exporter?.stop();
});

describe("three Prometheus servers: two clusters remote-writing to a central store", () => {
  it("every panel query answers per cluster, for both clusters", async () => {
    const problems: string[] = [];
    for (const t of clustered.targets) {
      const got = await instantQuery(central!.url, t.query, now());
      if (!got.ok) problems.push(`${t.dashboard} › ${t.panel} › ${t.refId}: ${got.error}`);
      else if (clustersOf(got.series.map((s) => ({ labels: s.metric }))).join() !== CLUSTERS.join())
        problems.push(`${t.dashboard} › ${t.panel} › ${t.refId}: clusters ${clustersOf(got.series.map((s) => ({ labels: s.metric }))).join()}\n    ${t.query}`);
    }
    expect(problems).toEqual([]);
  });

  it("the incident in cluster a fires the error alert there only; no alert answers without its cluster", async () => {
    const fired = new Map<string, string[]>();
    for (const rule of clustered.rules.filter((r) => r.alert)) fired.set(rule.name, clustersOf(await values(rule.expr)));
    expect(fired.get("HighServiceErrorRate")).toEqual(["a"]);
    // Both clusters are the same but for the incident: what answers in b answers in a as well.
    for (const [name, clusters] of fired) {
      expect(clusters, name).not.toContain("(none)");
      if (clusters.includes("b")) expect(clusters, name).toContain("a");
    }
  });

  it("the $cluster views: b shows 0 % errors, a shows 10 %", async () => {
    const errorRate = clustered.targets.find((t) => t.panel === "Service Error Rate")!;
    const b = await values(forCluster(errorRate, "b").query);
    const a = await values(forCluster(errorRate, "a").query);
    expect(b.length).toBeGreaterThan(0);
    expect(clustersOf(b)).toEqual(["b"]);
    for (const s of b) expect(s.value).toBe(0);
    for (const s of a) expect(s.value).toBeCloseTo(INCIDENT.a, 2);
  });

  it("the single-cluster build on the same store blends the clusters to 5 %, naming none", async () => {
    const rule = single.rules.find((r) => r.alert && r.name === "HighServiceErrorRate")!;
    const ratio = rule.expr.replace(/\s*>\s*[\d.]+$/, "");
    const merged = await values(ratio);
    expect(merged.length).toBeGreaterThan(0);
    for (const s of merged) {
      expect(s.labels.cluster).toBeUndefined();
      // 10 % and 0 % blend to about 5 % (exactly, once both clusters fill the 5m window; the
      // clusters' first scrapes differ by up to a second here): near the threshold, not twice over it.
      expect(s.value).toBeGreaterThan(INCIDENT.b);
      expect(s.value).toBeLessThan(thresholds.serviceErrorRatio.value * 1.5);
    }
  });

  it("with its for: 5m, promtool fires HighServiceErrorRate for cluster a only, on series read back from the central store", async () => {
    // Every Istio series the central store holds, with its labels (cluster included) and its rate.
    const series = await values('rate(istio_requests_total{reporter="destination"}[30s])');
    expect(clustersOf(series)).toEqual([...CLUSTERS]);
    const [services] = await values('count(group by (destination_service_namespace, destination_service_name) (istio_requests_total{reporter="destination", cluster="a"}))');
    const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    const inputs = series.map((s) => {
      const { __name__: name = "istio_requests_total", ...labels } = s.labels;
      const selector = `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`).join(", ")}}`;
      return { series: selector, values: `0+${(s.value * 60).toFixed(3)}x30` };
    });
    const firing = (state: string, time: string, samples: { labels: string; value: number }[]) => ({
      expr: `count by (cluster) (ALERTS{alertname="HighServiceErrorRate", alertstate="${state}"})`,
      eval_time: time,
      exp_samples: samples,
    });
    const inA = [{ labels: '{cluster="a"}', value: services!.value }];
    const dir = mkdtempSync(join(tmpdir(), "cluster-promtool-"));
    try {
      writeFileSync(join(dir, "rules.yaml"), clustered.ruleFiles.get("prometheus/service-mesh.rules.yaml")!);
      const test = {
        rule_files: ["rules.yaml"],
        evaluation_interval: "1m",
        tests: [{ interval: "1m", input_series: inputs, promql_expr_test: [firing("pending", "2m", inA), firing("firing", "2m", []), firing("firing", "10m", inA)] }],
      };
      writeFileSync(join(dir, "test.yaml"), JSON.stringify(test));
      expect(runPromtool(["test", "rules", join(dir, "test.yaml")])).toContain("SUCCESS");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
