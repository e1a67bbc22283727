// Runs incident scenarios through `promtool test rules` on the rules as compiled for a deployment,
// and reads back, from promtool's own report, which alert fired when with which labels.
//
// Each scenario becomes one promtool test group that expects every alert to be silent at every
// evaluation; promtool then reports, for each (alert, time) where that is false, what fired
// (labels and annotations). That report is the scenario's timeline. Anything else promtool
// prints (a bad series, a rule that fails) is an error, never a silent pass.

import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { ruleGroups } from "../../alerts/index";
import { sourceIds, type SourceId } from "../../catalogue/metrics";
import { compilePrometheusRules, defaultPrometheusRuleOptions } from "../../src/compile/prometheus-rules";
import { rulesForDeployment } from "../../src/kit/alert";
import { parseDuration } from "../../src/model/duration";
import { requireTool } from "../support/prometheus";
import { platformSeriesOf } from "./platform";
import type { Scenario } from "./scenarios";
import { inClusters } from "../support/synthetic/series";
import { encodeSamples, SCRAPE_SECONDS, seriesSelector, type Series } from "./series";

/** Prometheus's rule evaluation interval in the scenarios (kube-prometheus-stack's default). */
export const EVALUATION_SECONDS = 30;

export interface FiringAlert {
  readonly alertname: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** What fired at each evaluation (seconds since the scenario's start). */
export interface Timeline {
  readonly scenario: Scenario;
  /** The alerts compiled for the scenario's deployment. */
  readonly alertNames: readonly string[];
  readonly firing: ReadonlyMap<number, readonly FiringAlert[]>;
}

/** Seconds from the onset to the first evaluation where `alert` fires with `labels`, or undefined. */
export function timeToDetect(timeline: Timeline, alertName: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const onset = timeline.scenario.onsetMinutes * 60;
  for (const [time, alerts] of [...timeline.firing].sort(([a], [b]) => a - b)) {
    if (time < onset) continue;
    if (alerts.some((a) => a.alertname === alertName && Object.entries(labels).every(([k, v]) => a.labels[k] === v))) return time - onset;
  }
  return undefined;
}

/** Every alert that fired at some point, with its first firing instance. */
export function firedAlerts(timeline: Timeline): Map<string, { readonly firstAt: number; readonly alert: FiringAlert }> {
  const out = new Map<string, { firstAt: number; alert: FiringAlert }>();
  for (const [time, alerts] of [...timeline.firing].sort(([a], [b]) => a - b))
    for (const alert of alerts) if (!out.has(alert.alertname)) out.set(alert.alertname, { firstAt: time, alert });
  return out;
}

/** The alerts firing at the scenario's last evaluation. */
export function firingAtEnd(timeline: Timeline): readonly FiringAlert[] {
  return timeline.firing.get(timeline.scenario.minutes * 60) ?? [];
}

export const deployedFor = (absent: readonly SourceId[] = []): Record<SourceId, boolean> =>
  Object.fromEntries(sourceIds.map((id) => [id, !absent.includes(id)])) as Record<SourceId, boolean>;

const formatSeconds = (s: number) => `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ""}`;

/** promtool processes at once: one per core on CI's 2-core machines. */
const PARALLEL = 2;

/**
 * Cluster mode (build.config.ts `clusterLabel`), as a global store holds the series: the rules are
 * compiled with `label`, the incident happens in cluster `incidentIn` only, and every cluster of
 * `healthyIn` runs the same platform without it.
 */
export interface ClusterMode {
  readonly label: string;
  readonly incidentIn: string;
  readonly healthyIn: readonly string[];
}

/** The scenario's series; in cluster mode those of every cluster, each labelled with its own. */
export function scenarioSeries(s: Scenario, cluster?: ClusterMode): Series[] {
  if (!cluster) return platformSeriesOf(s.platform);
  return [...inClusters(platformSeriesOf(s.platform), cluster.label, [cluster.incidentIn]), ...inClusters(platformSeriesOf(s.withoutIncident), cluster.label, cluster.healthyIn)];
}

/** Runs the scenarios: scenarios of one deployment share a rule set, split over PARALLEL promtool runs. */
export async function runScenarios(scenarios: readonly Scenario[], cluster?: ClusterMode): Promise<Map<string, Timeline>> {
  const byDeployment = new Map<string, Scenario[]>();
  for (const s of scenarios) {
    const key = [...(s.absentSources ?? [])].sort().join(",");
    byDeployment.set(key, [...(byDeployment.get(key) ?? []), s]);
  }
  const batches = [...byDeployment.values()].flatMap((group) => {
    const size = Math.ceil(group.length / PARALLEL);
    return Array.from({ length: Math.ceil(group.length / size) }, (_, i) => group.slice(i * size, (i + 1) * size));
  });
  const results = await Promise.all(batches.map((batch) => runBatch(batch, cluster)));
  return new Map(results.flat().map((t) => [t.scenario.id, t]));
}

async function runBatch(scenarios: readonly Scenario[], cluster: ClusterMode | undefined): Promise<Timeline[]> {
  const groups = rulesForDeployment(ruleGroups, deployedFor(scenarios[0]!.absentSources));
  const compiled = compilePrometheusRules(groups, { ...defaultPrometheusRuleOptions, clusterLabel: cluster?.label });
  if (compiled.problems.length) throw new Error(`rules do not compile: ${JSON.stringify(compiled.problems)}`);
  const alertNames = groups.flatMap((g) => g.alerts.map((a) => a.name));
  const root = mkdtempSync(join(tmpdir(), "carbon-incidents-"));
  try {
    const ruleFiles = compiled.files.filter((f) => f.path.startsWith("prometheus/"));
    for (const file of ruleFiles) {
      mkdirSync(dirname(join(root, file.path)), { recursive: true });
      writeFileSync(join(root, file.path), file.content);
    }
    const tests = scenarios.map((s) => ({
      name: s.id,
      interval: `${SCRAPE_SECONDS}s`,
      input_series: scenarioSeries(s, cluster).map((series) => ({ series: seriesSelector(series), values: encodeSamples(series.samples) })),
      alert_rule_test: evaluationTimes(s).flatMap((time) => alertNames.map((alertname) => ({ eval_time: formatSeconds(time), alertname, exp_alerts: [] }))),
    }));
    const testFile = join(root, "incidents.test.yaml");
    writeFileSync(testFile, stringify({ rule_files: ruleFiles.map((f) => f.path), evaluation_interval: `${EVALUATION_SECONDS}s`, tests }, { lineWidth: 0 }));
    const output = await promtoolAsync(["test", "rules", "incidents.test.yaml"], root);
    const firing = parseReport(output, new Set(scenarios.map((s) => s.id)));
    return scenarios.map((scenario) => ({ scenario, alertNames, firing: firing.get(scenario.id) ?? new Map() }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** promtool's whole report; it exits 1 whenever something fired, which is what we read. */
function promtoolAsync(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(requireTool("promtool"), args, { cwd, timeout: 600_000, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") reject(error);
      else resolve(`${stdout}${stderr}`);
    });
  });
}

function evaluationTimes(s: Scenario): number[] {
  return Array.from({ length: (s.minutes * 60) / EVALUATION_SECONDS + 1 }, (_, i) => i * EVALUATION_SECONDS);
}

const labelPairs = (text: string): Record<string, string> =>
  Object.fromEntries([...text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, JSON.parse(`"${m[2]!}"`) as string]));

/** promtool's failure report → scenario id → time → firing alerts. Throws on anything it does not recognise. */
export function parseReport(output: string, scenarioIds: ReadonlySet<string>): Map<string, Map<number, FiringAlert[]>> {
  const result = new Map<string, Map<number, FiringAlert[]>>();
  let scenario: string | undefined;
  let at: { alertname: string; time: number } | undefined;
  let last: { alertname: string; labels: Record<string, string>; annotations: Record<string, string> } | undefined;
  const unknown: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if (line === "" || /^Unit Testing: /.test(line) || line === "FAILED:" || line === "SUCCESS" || /^(exp:\[\],|got:\[|\]|\d+:)$/.test(line)) continue;
    if ((m = /^name: (.+),$/.exec(line))) {
      scenario = m[1]!;
      if (!scenarioIds.has(scenario)) unknown.push(raw);
    } else if ((m = /^alertname: (\w+), time: (\S+),$/.exec(line))) {
      const ms = parseDuration(m[2]!);
      if (ms === undefined || scenario === undefined) unknown.push(raw);
      else at = { alertname: m[1]!, time: ms / 1000 };
    } else if ((m = /^Labels:\{(.*)\},?$/.exec(line)) && at && scenario) {
      last = { alertname: at.alertname, labels: labelPairs(m[1]!), annotations: {} };
      const times = result.get(scenario) ?? new Map<number, FiringAlert[]>();
      result.set(scenario, times);
      times.set(at.time, [...(times.get(at.time) ?? []), last]);
    } else if ((m = /^Annotations:\{(.*)\},?$/.exec(line)) && last) {
      last.annotations = labelPairs(m[1]!);
    } else unknown.push(raw);
  }
  if (unknown.length) throw new Error(`promtool reported something other than firing alerts:\n${unknown.slice(0, 20).join("\n")}\n--- full output (head) ---\n${output.slice(0, 4000)}`);
  return result;
}
