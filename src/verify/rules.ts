// Rules as the server runs them (/api/v1/rules): each group built into out/ must be loaded,
// with the same expressions, healthy and without an evaluation error. A PrometheusRule the
// operator never selected is the classic silent deploy failure. Alert states come from the
// same answer, or from the ALERTS series when the rules live elsewhere (a separate ruler).

import { QueryError, type PrometheusClient } from "./client";
import type { Explanation } from "./diagnose";
import type { RuleDef } from "./types";

export interface LoadedRule {
  readonly name: string;
  readonly query: string;
  readonly health: string;
  readonly lastError?: string;
  readonly state?: string;
  /** Alerting rules: each active alert's labels and state (pending or firing). */
  readonly alerts: readonly { readonly labels: Readonly<Record<string, string>>; readonly state: string }[];
}

export interface LoadedGroup {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly LoadedRule[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const stringsOf = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(isObject(v) ? v : {}).flatMap(([k, x]) => (typeof x === "string" ? [[k, x] as const] : [])));

/** A rule's states in one answer: firing wins over pending (several label sets), pending over nothing. */
function strongest(states: readonly (string | undefined)[]): string | undefined {
  return states.includes("firing") ? "firing" : states.includes("pending") ? "pending" : states.find((s) => s !== undefined);
}

export async function loadedGroups(client: PrometheusClient): Promise<LoadedGroup[]> {
  const data = await client.api("/api/v1/rules", new URLSearchParams());
  const groups = isObject(data) && Array.isArray(data.groups) ? data.groups : [];
  return groups.filter(isObject).map((g) => ({
    name: str(g.name) ?? "",
    file: str(g.file) ?? "",
    rules: (Array.isArray(g.rules) ? g.rules : []).filter(isObject).map((r) => ({
      name: str(r.name) ?? "",
      query: str(r.query) ?? "",
      health: str(r.health) ?? "unknown",
      ...(str(r.lastError) ? { lastError: str(r.lastError) } : {}),
      ...(str(r.state) ? { state: str(r.state) } : {}),
      alerts: (Array.isArray(r.alerts) ? r.alerts : []).filter(isObject).map((a) => ({ labels: stringsOf(a.labels), state: str(a.state) ?? "firing" })),
    })),
  }));
}

export interface AlertStates {
  /** alertname → "firing" | "pending". */
  readonly all: ReadonlyMap<string, string>;
  /** alertname → value of the cluster label → "firing" | "pending" (cluster mode only). */
  readonly byCluster: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** Active alerts from the ALERTS series, also per value of `clusterLabel` when given. */
export async function alertStatesFromSeries(client: PrometheusClient, now: number, clusterLabel?: string): Promise<AlertStates> {
  const r = await client.query(`max by (alertname, alertstate${clusterLabel ? `, ${clusterLabel}` : ""}) (ALERTS)`, now);
  const all = new Map<string, string>();
  const byCluster = new Map<string, Map<string, string>>();
  for (const s of r.series) {
    const name = s.metric.alertname;
    if (!name) continue;
    const state = s.metric.alertstate ?? "firing";
    all.set(name, strongest([all.get(name), state])!);
    const cluster = clusterLabel ? s.metric[clusterLabel] : undefined;
    if (cluster === undefined) continue;
    const states = byCluster.get(name) ?? new Map<string, string>();
    byCluster.set(name, states.set(cluster, strongest([states.get(cluster), state])!));
  }
  return { all, byCluster };
}

const squash = (expr: string): string => expr.replace(/#[^\n]*/g, "").replace(/\s+/g, "");

/** Compares expressions as Prometheus prints them: whitespace aside, else through /api/v1/format_query. */
export class ExpressionComparer {
  private readonly formatted = new Map<string, Promise<string | undefined>>();

  constructor(private readonly client: PrometheusClient) {}

  private format(expr: string): Promise<string | undefined> {
    let hit = this.formatted.get(expr);
    if (!hit) {
      hit = this.client.api("/api/v1/format_query", new URLSearchParams({ query: expr })).then(
        (d) => (typeof d === "string" ? d : undefined),
        (e: unknown) => {
          if (e instanceof QueryError) return undefined; // Not offered (Mimir, Thanos): whitespace comparison only.
          throw e;
        },
      );
      this.formatted.set(expr, hit);
    }
    return hit;
  }

  async same(ours: string, loaded: string): Promise<boolean> {
    if (squash(ours) === squash(loaded)) return true;
    const formatted = await this.format(ours);
    return formatted !== undefined && squash(formatted) === squash(loaded);
  }
}

/** What is wrong with how `rule` is loaded, if anything. */
export async function loadedProblem(rule: RuleDef, loaded: readonly LoadedGroup[], compare: ExpressionComparer): Promise<Explanation | undefined> {
  const groups = loaded.filter((g) => g.name === rule.group);
  if (groups.length === 0)
    return {
      reason: "rule-not-loaded",
      detail: `rule group ${rule.group} is not loaded (/api/v1/rules lists ${loaded.length} group(s)${loaded.length ? `: ${loaded.map((g) => g.name).slice(0, 8).join(", ")}` : ""})`,
      hint: "with the operator: its ruleSelector/ruleNamespaceSelector must select the PrometheusRule (build.config.ts ruleLabels, e.g. release: <helm release>); without: list the file in rule_files and reload",
    };
  const candidates = groups.flatMap((g) => g.rules.filter((r) => r.name === rule.name));
  if (candidates.length === 0)
    return { reason: "rule-not-loaded", detail: `group ${rule.group} is loaded without ${rule.name}`, hint: "the deployed group is an older version: apply out/ again (kubectl apply -k out/k8s)" };
  let match: LoadedRule | undefined;
  for (const c of candidates) if (await compare.same(rule.expr, c.query)) match = c;
  if (!match)
    return {
      reason: "rule-differs",
      detail: `the loaded ${rule.name} evaluates ${candidates[0]!.query}`,
      hint: "the deployed rule is not what out/ holds: apply out/ again, or rebuild if out/ is stale",
    };
  if (match.health !== "ok" || match.lastError)
    return {
      reason: "rule-unhealthy",
      detail: `health ${match.health}${match.lastError ? `: ${match.lastError}` : ""}`,
      hint: match.health === "unknown" && !match.lastError ? "not evaluated yet: run verify again after one evaluation interval" : "the rule fails at evaluation: run its expression in Prometheus's UI",
    };
  return undefined;
}

const loadedRule = (rule: RuleDef, loaded: readonly LoadedGroup[]): LoadedRule | undefined =>
  loaded.filter((g) => g.name === rule.group).flatMap((g) => g.rules).find((r) => r.name === rule.name);

/** The loaded rule's alert state, when the rule is loaded and is an alert. */
export function loadedState(rule: RuleDef, loaded: readonly LoadedGroup[]): string | undefined {
  return loadedRule(rule, loaded)?.state;
}

/** The loaded alert's active states per value of `clusterLabel` (from its alerts' labels); undefined when not loaded. */
export function loadedClusterStates(rule: RuleDef, loaded: readonly LoadedGroup[], clusterLabel: string): Map<string, string> | undefined {
  const found = loadedRule(rule, loaded);
  if (!found) return undefined;
  const states = new Map<string, string>();
  for (const a of found.alerts) {
    const cluster = a.labels[clusterLabel];
    if (cluster !== undefined) states.set(cluster, strongest([states.get(cluster), a.state])!);
  }
  return states;
}
