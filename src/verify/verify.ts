// `npm run verify`: every panel target and rule expression run against a live Prometheus
// (instant query now, range query over the chosen range), empty results explained by their
// pieces, rules checked as loaded, catalogue drift listed.

import pLimit from "p-limit";
import { ConnectionError, QueryError, type PrometheusClient, type QueryResult } from "./client";
import { consequence, explainEmpty, indexCatalogue, lacksCluster, metricHint, Probe, ruleInputProblem, selectorsOf, type Explanation } from "./diagnose";
import { catalogueDrift, type DriftReport } from "./drift";
import type { DashboardInput } from "./inputs";
import { alertStatesFromSeries, ExpressionComparer, loadedClusterStates, loadedGroups, loadedProblem, loadedState, type AlertStates, type LoadedGroup } from "./rules";
import type { AlertState, AllowEmpty, Catalogue, ClusterResult, PanelTarget, Result, RuleDef, RuleGroupDef } from "./types";
import { builtins, intervalSeconds, interpolate, UnresolvedVariable } from "./variables";

export interface VerifyOptions {
  readonly client: PrometheusClient;
  readonly dashboards: readonly DashboardInput[];
  readonly groups: readonly RuleGroupDef[];
  readonly catalogue: Catalogue;
  readonly rangeS: number;
  readonly scrapeIntervalS: number;
  /** --var name=value, repeated for several values. */
  readonly vars?: ReadonlyMap<string, readonly string[]>;
  readonly allowEmpty?: readonly AllowEmpty[];
  /** Compare rules with /api/v1/rules (off when the rules run elsewhere, e.g. as Grafana alerts). */
  readonly checkLoadedRules?: boolean;
  /** Panel targets and rules checked at once. */
  readonly concurrency?: number;
  /** Evaluation time, unix seconds; default now. */
  readonly now?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Cluster mode (build.config.ts clusterLabel): the label, and the dashboard variable that filters
   * on it. Each panel and rule is then also judged per cluster found in the store (`up`'s label values).
   */
  readonly cluster?: ClusterSetting;
}

export interface ClusterSetting {
  readonly label: string;
  readonly variable: string;
}

export interface VerifyReport {
  readonly results: readonly Result[];
  readonly drift: DriftReport;
  /** Whether rules were compared with /api/v1/rules, how many groups it listed, or why not. */
  readonly loadedRules: { readonly checked: boolean; readonly groups: number; readonly note?: string };
  /** allowEmpty entries that matched nothing (stale configuration). */
  readonly unusedAllowEmpty: readonly string[];
  readonly time: number;
  readonly rangeS: number;
  /** Cluster mode: the label and the clusters judged (found in the store, or given with --var); else null. */
  readonly clusters: { readonly label: string; readonly values: readonly string[] } | null;
}

/** Whether an allowEmpty entry names this panel or rule (whatever its status). */
function names(entry: AllowEmpty, result: Result): boolean {
  const slash = entry.target.indexOf("/");
  if (slash < 0) return false;
  const [scope, name] = [entry.target.slice(0, slash), entry.target.slice(slash + 1)];
  return result.kind === "panel" ? scope === result.dashboard && (name === "*" || name === result.panel) : scope === result.group && (name === "*" || name === result.rule);
}

/** Rethrows what must stop the run (connection loss); turns a failed query into its message. */
function queryFailure(error: unknown): string {
  if (error instanceof ConnectionError) throw error;
  if (error instanceof QueryError) return error.message;
  throw error;
}

async function runBoth(client: PrometheusClient, query: string, now: number, rangeS: number, stepS: number): Promise<[QueryResult, QueryResult]> {
  return Promise.all([client.query(query, now), client.queryRange(query, now - rangeS, now, stepS)]);
}

const blank = { dashboard: null, panel: null, refId: null, rule: null, group: null, reason: null, detail: null, hint: null, allowed: false, alertState: null, clusters: null } as const;

/** The clusters to judge: the --var values of the cluster variable, else every value of the label on `up`. */
async function clustersIn(client: PrometheusClient, cluster: ClusterSetting, vars: ReadonlyMap<string, readonly string[]>, now: number): Promise<string[]> {
  const given = vars.get(cluster.variable);
  if (given?.length) return [...given];
  const found = await client.query(`count by (${cluster.label}) (up)`, now);
  return found.series.flatMap((s) => s.metric[cluster.label] ?? []).sort();
}

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  const { client, catalogue, rangeS } = options;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const timing = { rangeS, scrapeIntervalS: options.scrapeIntervalS };
  const stepS = intervalSeconds(timing);
  const recorded = new Map(options.groups.flatMap((g) => g.rules.filter((r) => r.kind === "record").map((r) => [r.name, `${g.name}/${r.name}`] as const)));
  const catalogueIndex = indexCatalogue(catalogue);
  const probe = new Probe(client, now, rangeS, catalogueIndex, recorded);
  const fixed = builtins(timing, now);
  const vars = options.vars ?? new Map<string, readonly string[]>();

  // Fail fast (exit 2) when the server cannot be used at all.
  try {
    await client.query("1", now);
  } catch (e) {
    if (e instanceof QueryError) throw new ConnectionError(`${client.url.origin}: a trivial query failed (${e.message}): is this the Prometheus API's base URL?`);
    throw e;
  }

  let loaded: LoadedGroup[] | undefined;
  let loadedNote: string | undefined;
  const compare = new ExpressionComparer(client);
  if (options.checkLoadedRules ?? true) {
    try {
      loaded = await loadedGroups(client);
    } catch (e) {
      loadedNote = `/api/v1/rules unavailable: ${queryFailure(e)}`;
    }
  } else loadedNote = "skipped (--skip-loaded-rules)";
  const cluster = options.cluster;
  // Rules evaluated elsewhere (a separate ruler): their states are still in ALERTS.
  let seriesStates: AlertStates | undefined;
  if (!loaded?.length) {
    try {
      seriesStates = await alertStatesFromSeries(client, now, cluster?.label);
    } catch (e) {
      queryFailure(e);
    }
  }

  let clusters: string[] = [];
  try {
    if (cluster) clusters = await clustersIn(client, cluster, vars, now);
  } catch (e) {
    queryFailure(e); // no clusters found: the report says "0 found in the store"
  }

  const targets = options.dashboards.flatMap((d) => d.targets.map((t) => ({ t, d })));
  const rules = options.groups.flatMap((g) => g.rules);
  const total = targets.length + rules.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  const limit = pLimit(options.concurrency ?? 8);

  const panelResult = async (t: PanelTarget, d: DashboardInput): Promise<Result> => {
    const base = { ...blank, kind: "panel" as const, dashboard: t.dashboard, panel: t.panel, refId: t.refId };
    let query: string;
    try {
      query = interpolate(t.expr, d.variables, vars, fixed);
    } catch (e) {
      if (!(e instanceof UnresolvedVariable)) throw e;
      return { ...base, status: "error", series: 0, reason: "variable", detail: e.message, hint: "pass --var NAME=VALUE", query: t.expr };
    }
    let instant: QueryResult, range: QueryResult;
    try {
      [instant, range] = await runBoth(client, query, now, rangeS, stepS);
    } catch (e) {
      return { ...base, status: "error", series: 0, reason: "query-error", detail: queryFailure(e), hint: "fix the query (npm run lint shows where)", query };
    }
    const shown = t.instantOnly ? instant : range;
    if (shown.series.length > 0) {
      const perCluster = cluster ? await Promise.all(clusters.map((c) => clusterResult(t, d, shown, cluster, c))) : null;
      const partly = perCluster && emptyInSome(perCluster);
      if (partly) return { ...base, status: "empty", series: shown.series.length, query, clusters: perCluster, ...partly };
      const missing = t.legendLabels.filter((l) => !shown.series.some((s) => s.metric[l] !== undefined));
      if (missing.length === 0) return { ...base, status: "ok", series: shown.series.length, query, clusters: perCluster };
      return { ...base, status: "ok", series: shown.series.length, query, clusters: perCluster, ...legendProblem(missing, query, catalogueIndex) };
    }
    const why = await probing(() => explainEmpty(probe, query));
    const perCluster = cluster ? clusters.map((c): ClusterResult => ({ cluster: c, status: "empty", series: 0, alertState: null, ...why })) : null;
    return { ...base, status: "empty", series: 0, query, clusters: perCluster, ...why };
  };

  /** The target as the `$cluster = c` view shows it: its series of c, or why there are none. */
  const clusterResult = async (t: PanelTarget, d: DashboardInput, shown: QueryResult, setting: ClusterSetting, c: string): Promise<ClusterResult> => {
    const series = shown.series.filter((s) => s.metric[setting.label] === c).length;
    if (series > 0) return { cluster: c, status: "ok", series, alertState: null, reason: null, detail: null, hint: null };
    const query = interpolate(t.expr, d.variables, new Map([...vars, [setting.variable, [c]]]), fixed);
    const why = await probing(() => explainEmpty(probe, query));
    const hint = lacksCluster(why, setting.label) ? `${clusterLacks(c)}, allow the panel empty (verify.allowEmpty)` : why.hint;
    return { cluster: c, status: "empty", series: 0, alertState: null, ...why, hint };
  };

  /** The rule in each cluster: its series there, its alert state there, and whether its inputs exist there. */
  const ruleClusters = async (rule: RuleDef, instant: QueryResult, setting: ClusterSetting): Promise<ClusterResult[]> => {
    const states = rule.kind !== "alert" ? undefined : loaded ? loadedClusterStates(rule, loaded, setting.label) : seriesStates?.byCluster.get(rule.name) ?? (seriesStates && new Map());
    return Promise.all(
      clusters.map(async (c): Promise<ClusterResult> => {
        const series = instant.series.filter((s) => s.metric[setting.label] === c).length;
        const alertState = states ? asAlertState(states.get(c) ?? "inactive") : null;
        const why = await probing(() => ruleInputProblem(probe, rule.expr, rule.kind, { label: setting.label, value: c }));
        if (!why) return { cluster: c, status: "ok", series, alertState, reason: null, detail: null, hint: null };
        const hint = lacksCluster(why, setting.label) ? `${consequence(rule.kind)} there: ${clusterLacks(c)}, allow the rule empty (verify.allowEmpty)` : why.hint;
        return { cluster: c, status: "empty", series, alertState, ...why, hint };
      }),
    );
  };

  const ruleResult = async (rule: RuleDef): Promise<Result> => {
    const base = { ...blank, kind: "rule" as const, rule: rule.name, group: rule.group, query: rule.expr };
    const fromLoaded = loaded ? loadedState(rule, loaded) : undefined;
    const state = rule.kind !== "alert" ? undefined : (fromLoaded ?? (seriesStates ? (seriesStates.all.get(rule.name) ?? "inactive") : undefined));
    const alertState = asAlertState(state);
    // How it is loaded first: a rule failing on the server explains a failing query best.
    const asLoaded = loaded ? await loadedProblem(rule, loaded, compare) : undefined;
    let instant: QueryResult;
    try {
      instant = (await runBoth(client, rule.expr, now, rangeS, stepS))[0];
    } catch (e) {
      const detail = queryFailure(e);
      if (asLoaded) return { ...base, alertState, status: "error", series: 0, ...asLoaded };
      return { ...base, alertState, status: "error", series: 0, reason: "query-error", detail, hint: "fix the rule (npm run lint shows where)" };
    }
    const series = instant.series.length;
    const perCluster = cluster ? await ruleClusters(rule, instant, cluster) : null;
    const judged = { ...base, alertState, series, clusters: perCluster };
    if (asLoaded) return { ...judged, status: "error", ...asLoaded };
    const input = await probing(() => ruleInputProblem(probe, rule.expr, rule.kind));
    if (input) return { ...judged, status: "empty", ...input };
    const partly = perCluster && emptyInSome(perCluster, "its inputs are missing", "present");
    if (partly) return { ...judged, status: "empty", ...partly };
    return { ...judged, status: "ok" };
  };

  const results = await Promise.all([
    ...targets.map(({ t, d }) => limit(() => panelResult(t, d).finally(tick))),
    ...rules.map((r) => limit(() => ruleResult(r).finally(tick))),
  ]);
  const drift = await catalogueDrift(client, probe, catalogue, cluster ? [cluster.label] : []);

  const allowEmpty = options.allowEmpty ?? [];
  const used = new Set<AllowEmpty>();
  const final = results.map((r) => {
    const entries = allowEmpty.filter((a) => names(a, r));
    entries.forEach((a) => used.add(a));
    const entry = entries.find((a) => !a.when || a.when.some((reason) => reason === r.reason));
    if (r.status !== "empty" || !entry) return r;
    return { ...r, allowed: true, hint: entry.reason ? `allowed: ${entry.reason}` : r.hint };
  });
  return {
    results: final,
    drift,
    loadedRules: { checked: loaded !== undefined, groups: loaded?.length ?? 0, ...(loadedNote ? { note: loadedNote } : {}) },
    unusedAllowEmpty: allowEmpty.filter((a) => !used.has(a)).map((a) => a.target),
    time: now,
    rangeS,
    clusters: cluster ? { label: cluster.label, values: clusters } : null,
  };
}

const asAlertState = (state: string | undefined): AlertState | null => (state === "firing" || state === "pending" || state === "inactive" ? state : null);

/** The hint for a cluster lacking an input the others have. */
const clusterLacks = (c: string): string => `cluster ${c} has none of it: is its exporter deployed and scraped there? If it need not be`;

/** A panel (rule) with data (inputs) in some clusters and none in others: empty, for the first empty cluster's reason. */
function emptyInSome(all: readonly ClusterResult[], missing = "no data", present = "data"): Explanation | undefined {
  const empty = all.filter((c) => c.status === "empty");
  const first = empty[0];
  if (!first) return undefined;
  const withData = all.filter((c) => c.status === "ok").map((c) => c.cluster);
  return {
    reason: first.reason ?? "no-data",
    detail: `${missing} in cluster ${empty.map((c) => c.cluster).join(", ")}${withData.length ? ` (${present} in ${withData.join(", ")})` : ""}${first.detail ? `: ${first.detail}` : ""}`,
    hint: first.hint ?? "",
  };
}

/** A probe that fails (a timeout on a big cluster) leaves the result unexplained, not the run failed. */
async function probing<T extends Explanation | undefined>(explain: () => Promise<T>): Promise<T | Explanation> {
  try {
    return await explain();
  } catch (e) {
    return { reason: "no-data", detail: `querying the pieces failed: ${queryFailure(e)}`, hint: "retry with a larger --timeout, or a shorter --range" };
  }
}

/** Series exist but lack a label the legend shows (e.g. Kong's consumer without per_consumer). */
function legendProblem(missing: readonly string[], query: string, catalogue: ReturnType<typeof indexCatalogue>): Explanation {
  const metrics = selectorsOf(query).uses.map((u) => (u.node.name === undefined ? undefined : catalogue.get(u.node.name)));
  const declaring = metrics.find((m) => m && missing.some((l) => m.labels.includes(l)));
  return {
    reason: "label-missing",
    detail: `no series carries ${missing.join(", ")}, which the legend shows: the panel draws unnamed series`,
    hint: declaring ? metricHint(declaring, declaring.name) : `the query's inputs do not carry ${missing.join(", ")}`,
  };
}

/** 0: everything has data (or may be empty); 1: something empty or failed. */
export function exitCodeOf(report: VerifyReport): 0 | 1 {
  return report.results.some((r) => r.status === "error" || (r.status === "empty" && !r.allowed)) ? 1 : 0;
}
