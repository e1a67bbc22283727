// Why a query returns nothing, found by querying its pieces: each selector's metric, each of its
// label matchers alone, the selector whole, its sample density; then the expression's own
// filtering. The first piece that explains the emptiness wins. Queries repeat across panels
// (one metric feeds several), so every probe is cached for the run.

import { parsePromQL } from "../lint/promql/parse";
import { COMPARISONS, type Expr, type Matcher, type SelectorNode } from "../lint/promql/ast";
import type { QueryResult } from "./client";
import type { Catalogue, Reason } from "./types";
import { formatDuration } from "./variables";
import { seriesNames, type AnyMetric } from "../model/metric";

export interface Explanation {
  readonly reason: Reason;
  readonly detail: string;
  readonly hint: string;
}

/** What the prober needs from the client; cached and time-fixed by Probe. */
export interface ProbeApi {
  query(query: string, time: number): Promise<QueryResult>;
  labelNames(match: string, start: number, end: number): Promise<string[]>;
  labelValues(label: string, match: string, start: number, end: number): Promise<string[]>;
}

/** Functions over a range that need two samples in the window to return anything. */
const TWO_SAMPLES = new Set(["rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear"]);
/** Prometheus's default lookback for a bare selector. */
const LOOKBACK_S = 300;
const MAX_VALUES_SHOWN = 10;

const quote = (v: string): string => JSON.stringify(v);
const matcherText = (m: Matcher): string => `${m.label}${m.op}${quote(m.value)}`;

function selectorText(name: string | undefined, matchers: readonly Matcher[]): string {
  const rest = matchers.filter((m) => !(m.label === "__name__" && m.op === "=" && m.value === name)).map(matcherText);
  if (name === undefined) return `{${rest.join(", ")}}`;
  return rest.length ? `${name}{${rest.join(", ")}}` : name;
}

function matchesEmpty(m: Matcher): boolean {
  switch (m.op) {
    case "=": return m.value === "";
    case "!=": return m.value !== "";
    case "=~": return safeRegex(m.value)?.test("") ?? false;
    case "!~": return !(safeRegex(m.value)?.test("") ?? true);
  }
}

function safeRegex(value: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${value})$`);
  } catch {
    return undefined;
  }
}

function list(values: readonly string[]): string {
  const shown = values.slice(0, MAX_VALUES_SHOWN).join(", ");
  return values.length > MAX_VALUES_SHOWN ? `${shown} … (${values.length} in all)` : shown;
}

/** The catalogue indexed by every series name (histograms: _bucket, _sum, _count). */
export function indexCatalogue(catalogue: Catalogue): Map<string, AnyMetric> {
  return new Map(catalogue.flatMap((m) => seriesNames(m).map((n) => [n, m] as const)));
}

export function metricHint(metric: AnyMetric | undefined, name: string, recordedBy?: string): string {
  if (recordedBy) return `recorded by rule ${recordedBy}: check that its group is loaded and its own inputs exist`;
  if (!metric) return `${name} is not in the catalogue: find out which exporter emits it`;
  const s = metric.source;
  const who = s.owner === "platform" ? `platform-owned; must be emitted by ${s.exporter}` : `emitted by ${s.exporter}`;
  return s.requires ? `${who}; requires ${s.requires}` : `${who}; on by default: check that it is deployed and scraped`;
}

interface SelectorUse {
  readonly node: SelectorNode;
  /** The window the selector is read over: a matrix range, else the lookback. */
  readonly windowS: number;
  /** Samples the surrounding function needs in that window. */
  readonly needs: number;
}

function ancestors(node: Expr): Expr[] {
  const out: Expr[] = [];
  for (let p = node.parent; p; p = p.parent) out.push(p);
  return out;
}

/** Inside the right side of `unless`: its emptiness lets the left side through, it never empties the result. */
function underUnless(node: Expr): boolean {
  for (let child: Expr = node, p: Expr | undefined = node.parent; p; child = p, p = p.parent) if (p.kind === "binary" && p.op === "unless" && p.rhs === child) return true;
  return false;
}

/**
 * Selectors of a query, except those inside absent()/absent_over_time() or right of `unless`
 * (empty is their healthy answer: the per-cluster absence guards are `up unless metric`).
 */
export function selectorsOf(query: string): { uses: SelectorUse[]; filters: boolean } {
  const parsed = parsePromQL(query, { selectorLabels: () => null, durations: new Map() });
  const uses: SelectorUse[] = [];
  let filters = false;
  for (const node of parsed.nodes) {
    if (node.kind === "binary" && ((COMPARISONS.has(node.op) && !node.bool) || node.op === "and" || node.op === "unless")) filters = true;
    if (node.kind !== "selector") continue;
    const up = ancestors(node);
    if (up.some((a) => a.kind === "call" && (a.fn === "absent" || a.fn === "absent_over_time")) || underUnless(node)) continue;
    const matrix = node.parent?.kind === "matrix" ? node.parent : undefined;
    const fn = matrix?.parent?.kind === "call" ? matrix.parent.fn : undefined;
    uses.push({
      node,
      windowS: matrix?.range.ms !== undefined ? matrix.range.ms / 1000 : LOOKBACK_S,
      needs: fn && TWO_SAMPLES.has(fn) ? 2 : 1,
    });
  }
  return { uses, filters };
}

/** Runs probe queries at one instant over one window, each at most once. */
export class Probe {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(
    private readonly api: ProbeApi,
    readonly now: number,
    readonly rangeS: number,
    private readonly catalogue: Map<string, AnyMetric>,
    private readonly recorded: ReadonlyMap<string, string>,
  ) {}

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = run();
      this.cache.set(key, hit);
    }
    return hit;
  }

  /** A number from an instant query (0 when it returns nothing). */
  scalar(query: string): Promise<number> {
    return this.once(`q:${query}`, async () => {
      const r = await this.api.query(query, this.now);
      return r.values.length ? (r.values[0] ?? 0) : 0;
    });
  }

  /** Series the selector had at any time in the range. */
  present(selector: string): Promise<number> {
    return this.scalar(`count(last_over_time(${selector}[${formatDuration(this.rangeS)}]))`);
  }

  labelNames(selector: string): Promise<string[]> {
    return this.once(`l:${selector}`, () => this.api.labelNames(selector, this.now - this.rangeS, this.now));
  }

  labelValues(label: string, selector: string): Promise<string[]> {
    return this.once(`v:${label}:${selector}`, () => this.api.labelValues(label, selector, this.now - this.rangeS, this.now));
  }

  metric(name: string | undefined): AnyMetric | undefined {
    return name === undefined ? undefined : this.catalogue.get(name);
  }

  recordedBy(name: string | undefined): string | undefined {
    return name === undefined ? undefined : this.recorded.get(name);
  }

  /** Structural problems of one selector: absent metric, missing label, no matching value. */
  async selectorProblem(node: SelectorNode): Promise<Explanation | undefined> {
    const name = node.name;
    const metric = this.metric(name);
    const range = formatDuration(this.rangeS);
    if (name !== undefined && (await this.present(name)) === 0)
      return { reason: "metric-absent", detail: `${name} has no series in the last ${range}`, hint: metricHint(metric, name, this.recordedBy(name)) };
    const base = name ?? "";
    for (const m of node.matchers) {
      if (m.label === "__name__") continue;
      const alone = selectorText(name, [m]);
      if ((await this.present(alone)) > 0) continue;
      if (!matchesEmpty(m) && (await this.present(selectorText(name, [{ ...m, op: "!=", value: "" }]))) === 0) {
        const seen = name === undefined ? [] : (await this.labelNames(name)).filter((l) => l !== "__name__");
        const undeclared = metric ? seen.filter((l) => !metric.labels.includes(l) && l !== "le") : [];
        const requires = metric?.source.requires ? ` ${metric.source.exporter} requires ${metric.source.requires}` : "";
        return {
          reason: "label-missing",
          detail: `${base || "the selector"} never carries the label ${m.label} in the last ${range} (the filter ${matcherText(m)} needs it)`,
          hint: `${base} carries: ${list(seen) || "no labels"}${undeclared.length ? `; not declared in the catalogue: ${list(undeclared)}` : ""}.${requires}`,
        };
      }
      const values = name === undefined ? [] : await this.labelValues(m.label, name);
      const closed = metric?.values[m.label];
      if (closed?.length && values.length && values.every((v) => !closed.includes(v)))
        return {
          reason: "value-outside-catalogue",
          detail: `${matcherText(m)} matches nothing: ${base} has ${m.label} = ${list(values)}, none of which the catalogue declares (${closed.join(", ")})`,
          hint: `the exporter reports other values than the catalogue assumes: check its version and configuration against ${metric!.source.reference}`,
        };
      return {
        reason: "value-no-match",
        detail: `${matcherText(m)} matches none of ${base}'s values in the last ${range}: ${list(values) || "(none)"}`,
        hint: "expected when nothing of that kind happened (e.g. no such errors); otherwise fix the filter or pass --var with an existing value",
      };
    }
    return undefined;
  }

  /** Density problems of a selector that has data: too sparse for its window, or stopped. */
  async densityProblem(use: SelectorUse): Promise<Explanation | undefined> {
    const sel = selectorText(use.node.name, use.node.matchers);
    const window = formatDuration(use.windowS);
    const recent = await this.scalar(`max(count_over_time(${sel}[${window}]))`);
    if (recent >= use.needs) return undefined;
    const total = await this.scalar(`max(count_over_time(${sel}[${formatDuration(this.rangeS)}]))`);
    const spacingS = total > 0 ? this.rangeS / total : Infinity;
    if (spacingS * use.needs > use.windowS)
      return {
        reason: "too-sparse",
        detail: `${sel} has ${total} sample(s) per series in the last ${formatDuration(this.rangeS)}, about one every ${formatDuration(Math.round(spacingS))}: a ${window} window needs ${use.needs}`,
        hint: `scrape it more often than every ${formatDuration(Math.floor(use.windowS / use.needs))}, or read it over a longer window`,
      };
    return {
      reason: "stale",
      detail: `${sel} had data earlier in the last ${formatDuration(this.rangeS)} but none in the last ${window}`,
      hint: "the target stopped reporting: check its scrape target (`up`) and the exporter",
    };
  }
}

/** Why `query` returned nothing. */
export async function explainEmpty(probe: Probe, query: string): Promise<Explanation> {
  const { uses, filters } = selectorsOf(query);
  for (const use of uses) {
    const problem = await probe.selectorProblem(use.node);
    if (problem) return problem;
  }
  for (const use of uses) {
    const sel = selectorText(use.node.name, use.node.matchers);
    if (use.node.matchers.filter((m) => m.label !== "__name__").length > 1 && (await probe.present(sel)) === 0)
      return {
        reason: "no-match-combination",
        detail: `each filter of ${sel} matches series, but no series matches all of them together`,
        hint: "check which combinations exist (e.g. count by (label) of the metric); expected when that combination did not occur",
      };
  }
  for (const use of uses) {
    const problem = await probe.densityProblem(use);
    if (problem) return problem;
  }
  if (filters)
    return {
      reason: "filtered",
      detail: "every input has data; the expression's comparison (or and/unless) leaves nothing",
      hint: "often the healthy state (e.g. no plaintext traffic, nothing above a threshold); if so, allow it with --allow-empty",
    };
  return { reason: "no-data", detail: "every input has data, yet the expression returns nothing", hint: "run its parts in Prometheus's UI (vector matching with on()/ignoring is the usual suspect)" };
}

/** What a rule without its inputs does not do. */
export const consequence = (kind: "alert" | "record"): string => (kind === "alert" ? "the alert can never fire" : "the rule records nothing");

/**
 * Why a rule can never fire: a selector outside absent() whose metric is absent, whose filter
 * label never exists, or whose label only takes values outside the catalogue's closed set.
 * A filter value that merely matches nothing now (no 401s) is not a reason.
 * With `within` (cluster mode: the cluster label = one cluster), every selector is read in that
 * cluster only, and that filter matching nothing is a reason: the cluster lacks the input.
 */
export async function ruleInputProblem(probe: Probe, query: string, kind: "alert" | "record", within?: { label: string; value: string }): Promise<Explanation | undefined> {
  for (const use of selectorsOf(query).uses) {
    const scoped = within ? { ...use.node, matchers: [{ label: within.label, op: "=" as const, value: within.value, from: use.node.from }, ...use.node.matchers] } : use.node;
    const problem = await probe.selectorProblem(scoped);
    if (problem && (problem.reason !== "value-no-match" || (within && lacksCluster(problem, within.label)))) return { ...problem, hint: `${consequence(kind)}: ${problem.hint}` };
  }
  return undefined;
}

/** The explanation says the cluster's own filter matches nothing: that cluster lacks an input the others have. */
export function lacksCluster(why: Explanation, label: string): boolean {
  return why.reason === "value-no-match" && why.detail.startsWith(`${label}=`);
}
