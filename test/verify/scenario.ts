// A cluster as verify would meet it: Prometheus started on TSDB blocks backfilled by
// `promtool tsdb create-blocks-from openmetrics` from catalogue-driven synthetic data, with the
// rule files of out/ loaded. Gaps are derived from the catalogue (by exporter and `requires`),
// never from hand-copied panel lists.

import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allMetrics, metrics } from "../../catalogue/metrics";
import type { AnyMetric } from "../../src/model/metric";
import { generateOpenMetrics } from "../support/synthetic/openmetrics";
import { runPromtool, startPrometheus, type RunningPrometheus } from "../support/prometheus";

export const OUT = join(import.meta.dirname, "../../out");
export const STEP = 30;
/** Data ends a minute before the start of the test run and covers 70 minutes. */
export const END = Math.floor(Date.now() / 1000) - 60;
export const START = END - 70 * 60;

export interface Gaps {
  /** Catalogue metrics left out of the data. */
  readonly dropped: ReadonlySet<string>;
  /** Catalogue metrics whose `service` label arrives as `exported_service`. */
  readonly renamed: ReadonlySet<string>;
}

const sameExporter = (a: AnyMetric, b: AnyMetric): boolean => a.source.exporter === b.source.exporter;

/**
 * The deliberate gaps: no Envoy cluster stats (proxyStatsMatcher not set), Kong without
 * status_code_metrics, no kafka_exporter, and Kong scraped without honorLabels (its `service`
 * label renamed `exported_service`).
 */
export function deliberateGaps(): Gaps {
  const dropped = allMetrics.filter(
    (m) =>
      sameExporter(m, metrics.envoy_cluster_upstream_rq_total) ||
      sameExporter(m, metrics.kafka_brokers) ||
      (m.source.requires ?? "").includes("status_code_metrics"),
  );
  const renamed = allMetrics.filter((m) => sameExporter(m, metrics.kong_http_requests_total) && m.labels.includes("service") && !dropped.includes(m));
  return { dropped: new Set(dropped.map((m) => m.name)), renamed: new Set(renamed.map((m) => m.name)) };
}

const renameKey = <T>(record: Readonly<Record<string, T>> | undefined): Record<string, T> =>
  Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k === "service" ? "exported_service" : k, v]));

/** The catalogue as the data will look: dropped metrics gone, `service` renamed. */
export function withGaps(gaps: Gaps): AnyMetric[] {
  return allMetrics
    .filter((m) => !gaps.dropped.has(m.name))
    .map((m) =>
      gaps.renamed.has(m.name)
        ? { ...m, labels: m.labels.map((l) => (l === "service" ? "exported_service" : l)), values: renameKey(m.values), examples: renameKey(m.examples) }
        : m,
    );
}

export interface ScenarioOptions {
  readonly metrics: readonly AnyMetric[];
  /** Extra OpenMetrics lines (families not in the catalogue data), without `# EOF`. */
  readonly extraOpenMetrics?: string;
  /** Extra rule files to load: name → YAML. */
  readonly extraRules?: Readonly<Record<string, string>>;
  /** Extra scrape_configs entries, as YAML list items. */
  readonly scrapeConfigs?: string;
}

/** Starts Prometheus with the data and out/prometheus/*.yaml loaded (evaluated every second). */
export async function startScenario(options: ScenarioOptions): Promise<RunningPrometheus> {
  let rulesDir = "";
  const prometheus = await startPrometheus({
    prepare: (dataDir) => {
      const data = generateOpenMetrics(options.metrics, { start: START, end: END, step: STEP });
      const text = options.extraOpenMetrics ? data.text.replace(/# EOF\n$/, `${options.extraOpenMetrics.trimEnd()}\n# EOF\n`) : data.text;
      const file = join(dataDir, "..", "synthetic.om.txt");
      writeFileSync(file, text);
      runPromtool(["tsdb", "create-blocks-from", "openmetrics", "--quiet", file, dataDir]);
      rulesDir = join(dataDir, "..", "rules");
      mkdirSync(rulesDir);
      for (const f of readdirSync(join(OUT, "prometheus"))) cpSync(join(OUT, "prometheus", f), join(rulesDir, f));
      for (const [name, yaml] of Object.entries(options.extraRules ?? {})) writeFileSync(join(rulesDir, name), yaml);
    },
    config: [
      "global:",
      "  scrape_interval: 30s",
      "  evaluation_interval: 1s",
      "rule_files: [rules/*.yaml]",
      ...(options.scrapeConfigs ? ["scrape_configs:", options.scrapeConfigs] : []),
      "",
    ].join("\n"),
  });
  await waitForRuleEvaluation(prometheus.url);
  return prometheus;
}

/** Until every loaded rule has been evaluated once (health no longer "unknown"). */
async function waitForRuleEvaluation(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const body = (await (await fetch(`${url}/api/v1/rules`)).json()) as { data: { groups: { rules: { health: string }[] }[] } };
    const rules = body.data.groups.flatMap((g) => g.rules);
    if (rules.length > 0 && rules.every((r) => r.health !== "unknown")) return;
    if (Date.now() > deadline) throw new Error("rules not evaluated within 20 s");
    await new Promise((r) => setTimeout(r, 200));
  }
}
