// Typed PromQL builder. Every expression carries, in its type, the labels its result keeps,
// so that `by` clauses, legends and alert templates can only name labels that exist, and
// `rate()` only accepts counters. Expressions render lazily: dashboards render ranges as
// `$__rate_interval`, rule files as a fixed window, from one definition.

import type {
  AnyMetric,
  ClusterLabel,
  CounterMetric,
  GaugeMetric,
  HistogramMetric,
  LabelOf,
  LabelValues,
  ValuesOf,
} from "../model/metric";

export type Duration = `${number}${"ms" | "s" | "m" | "h" | "d" | "w"}`;

/**
 * Cluster mode (build.config.ts `clusterLabel`): every series of a global store carries this label.
 * Every aggregation keeps it, every `on()` matches on it, absence and zero fallbacks are per
 * cluster; dashboards also filter every selector on the `$cluster` variable.
 */
export interface ClusterMode {
  readonly label: string;
  /** Dashboards: `label=~"$cluster"` on every selector. Rules see every cluster. */
  readonly filter: boolean;
}

/** The dashboard variable cluster mode adds; its name is also the label's "$cluster" reference. */
export const CLUSTER_VARIABLE = "cluster";

/** How ranges render: in a dashboard `$__rate_interval`/`$__range`, in a rule a fixed duration. */
export interface RenderContext {
  readonly rateWindow: string;
  readonly rangeWindow: string;
  readonly cluster?: ClusterMode;
}

export const dashboardContext: RenderContext = { rateWindow: "$__rate_interval", rangeWindow: "$__range" };
export function ruleContext(rateWindow: Duration, rangeWindow: Duration = "1h", clusterLabel?: string): RenderContext {
  return { rateWindow, rangeWindow, ...(clusterLabel ? { cluster: { label: clusterLabel, filter: false } } : {}) };
}
/** The dashboard context, in cluster mode when `clusterLabel` is set. */
export function clusterDashboardContext(clusterLabel: string | undefined): RenderContext {
  return clusterLabel ? { ...dashboardContext, cluster: { label: clusterLabel, filter: true } } : dashboardContext;
}

/** The series that say a cluster exists (for per-cluster absence guards and zero fallbacks). */
function clusterPresence(cluster: ClusterMode): string {
  return `group by (${cluster.label}) (${selectorOf("up", { ...dashboardContext, cluster })})`;
}

/** `labels` with the cluster label first, when cluster mode is on and it is not there yet. */
function withCluster(labels: readonly string[], ctx: RenderContext): readonly string[] {
  const label = ctx.cluster?.label;
  return label === undefined || labels.includes(label) ? labels : [label, ...labels];
}

/** An instant vector whose series carry the labels `L`. */
export interface Vector<L extends string> {
  readonly kind: "vector";
  /** True for `a op b` expressions, so that operands get parentheses only where needed. */
  readonly binary: boolean;
  readonly render: (ctx: RenderContext) => string;
  /** The catalogue metrics the expression reads (panels say when one is not emitted yet). */
  readonly reads: readonly AnyMetric[];
  /** Phantom: never set at run time, only carries `L` for the type checker. */
  readonly __labels?: L;
}

export type AnyVector = Vector<string>;
export type LabelsOfVector<V> = V extends Vector<infer L> ? L : never;

function vector<L extends string>(reads: readonly AnyMetric[], render: (ctx: RenderContext) => string, binary = false): Vector<L> {
  return { kind: "vector", binary, render, reads: [...new Set(reads)] };
}

const readsOf = (...operands: readonly Operand<string>[]): AnyMetric[] => operands.flatMap((o) => (typeof o === "number" ? [] : o.reads));

// ---------------------------------------------------------------- label matchers

export interface LabelMatch {
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
}
/** `label=~"value"`: a regex, or a multi-value dashboard variable such as `"$namespace"`. */
export const matches = (value: string): LabelMatch => ({ op: "=~", value });
/** `label!="value"` */
export const notEqual = (value: string): LabelMatch => ({ op: "!=", value });
/** `label!~"value"` */
export const notMatches = (value: string): LabelMatch => ({ op: "!~", value });

type AllowedValue<V, K extends PropertyKey> = K extends keyof V
  ? NonNullable<V[K]> extends readonly (infer U)[]
    ? U
    : string
  : string;

/**
 * Matchers for a metric: only its labels, and only declared values where the catalogue closes the
 * set. A metric without labels takes none (`{}` alone would accept any object).
 */
export type Matchers<L extends string, V extends LabelValues<L>> = [L] extends [never]
  ? Readonly<Record<string, never>>
  : { readonly [K in L]?: AllowedValue<V, K> | LabelMatch };

// Takes `object` because the typed Matchers<L, V> is not indexable; the values are checked at the call site.
function renderMatchers(matchers: object, ctx: RenderContext): string {
  const cluster = ctx.cluster?.filter ? [`${ctx.cluster.label}=~${JSON.stringify("$" + CLUSTER_VARIABLE)}`] : [];
  const parts = cluster.concat((Object.entries(matchers) as [string, string | LabelMatch | undefined][])
    .filter((entry): entry is [string, string | LabelMatch] => entry[1] !== undefined)
    .map(([label, m]) => {
      const { op, value } = typeof m === "string" ? { op: "=", value: m } : m;
      return `${label}${op}${JSON.stringify(value)}`;
    }));
  return parts.length ? `{${parts.join(", ")}}` : "";
}

/** A bare series name as a selector; in a cluster-mode dashboard with the `$cluster` filter. */
export const selectorOf = (name: string, ctx: RenderContext): string => `${name}${renderMatchers({}, ctx)}`;

// ---------------------------------------------------------------- series of a metric

export type HistogramSuffix = "_bucket" | "_sum" | "_count";

/** One of the three series a classic histogram exposes; all three are counters. */
export interface HistogramPart<M extends HistogramMetric, S extends HistogramSuffix> {
  readonly histogram: M;
  readonly suffix: S;
}
export const bucketsOf = <M extends HistogramMetric>(histogram: M): HistogramPart<M, "_bucket"> => ({ histogram, suffix: "_bucket" });
export const countOf = <M extends HistogramMetric>(histogram: M): HistogramPart<M, "_count"> => ({ histogram, suffix: "_count" });
export const sumOf = <M extends HistogramMetric>(histogram: M): HistogramPart<M, "_sum"> => ({ histogram, suffix: "_sum" });

/** What `rate()` and `increase()` accept: counters, and the series of histograms. Gauges are refused. */
export type CounterLike = CounterMetric | HistogramPart<HistogramMetric, HistogramSuffix>;

type MetricOf<R> = R extends HistogramPart<infer M, HistogramSuffix> ? M : R;
type CounterLabels<R> = R extends HistogramPart<infer M, "_bucket"> ? LabelOf<M> | "le" : LabelOf<MetricOf<R>>;
type CounterMatchers<R> = Matchers<LabelOf<MetricOf<R>>, ValuesOf<MetricOf<R>>>;
type GaugeMatchers<M> = Matchers<LabelOf<M>, ValuesOf<M>>;

function seriesName(series: CounterLike): string {
  return "histogram" in series ? series.histogram.name + series.suffix : series.name;
}

const metricOf = (series: CounterLike): AnyMetric => ("histogram" in series ? series.histogram : series);

/** The window of a range function: the context's rate window unless told otherwise. */
export type Window = "rate" | "range" | Duration;

function renderWindow(window: Window, ctx: RenderContext): string {
  if (window === "rate") return ctx.rateWindow;
  if (window === "range") return ctx.rangeWindow;
  return window;
}

function rangeFunction(fn: string) {
  return <R extends CounterLike>(series: R, where: CounterMatchers<R> = {}, window: Window = "rate"): Vector<CounterLabels<R>> =>
    vector([metricOf(series)], (ctx) => `${fn}(${seriesName(series)}${renderMatchers(where, ctx)}[${renderWindow(window, ctx)}])`);
}

/** Per-second rate of a counter. */
export const rate = rangeFunction("rate");
/** Increase of a counter over a window (`"range"` for the dashboard's time range). */
export const increase = rangeFunction("increase");

/** The current value of a gauge (`gauge()` declares one in the catalogue). Counters are refused: rate them instead. */
export function current<M extends GaugeMetric>(metric: M, where: GaugeMatchers<M> = {}): Vector<LabelOf<M>> {
  return vector([metric], (ctx) => `${metric.name}${renderMatchers(where, ctx)}`);
}

function gaugeOverTime(fn: string) {
  return <M extends GaugeMetric>(metric: M, where: GaugeMatchers<M> = {}, window: Window = "rate"): Vector<LabelOf<M>> =>
    vector([metric], (ctx) => `${fn}(${metric.name}${renderMatchers(where, ctx)}[${renderWindow(window, ctx)}])`);
}
export const maxOverTime = gaugeOverTime("max_over_time");
export const minOverTime = gaugeOverTime("min_over_time");
export const avgOverTime = gaugeOverTime("avg_over_time");
/** How often a gauge's value changed in the window: 0 means frozen. */
export const changes = gaugeOverTime("changes");

/**
 * Series of a counter that appeared within `window` already above 0. `increase()` needs two
 * samples, so the first increment of a lazily created series (a client library creating the
 * label set on its first `inc()`) is invisible to it; this sees it.
 */
export function appearedAboveZero<R extends CounterLike>(series: R, where: CounterMatchers<R>, window: Duration): Vector<CounterLabels<R>> {
  return vector([metricOf(series)], (ctx) => {
    const selector = `${seriesName(series)}${renderMatchers(where, ctx)}`;
    return `(${selector} > 0) unless (${selector} offset ${window})`;
  }, true);
}

/**
 * 1 when no series matches: for "exporter gone" alerts. Accepts any metric. In cluster mode, one
 * series per cluster that is scraped (`up`) but lacks the metric: a global `absent()` would stay
 * silent while any other cluster still has it.
 */
export function absent<M extends AnyMetric>(metric: M, where: GaugeMatchers<M> = {}): Vector<ClusterLabel> {
  const name = metric.type === "histogram" ? `${metric.name}_count` : metric.name;
  return vector([metric], (ctx) => {
    const selector = `${name}${renderMatchers(where, ctx)}`;
    if (!ctx.cluster) return `absent(${selector})`;
    return `(${clusterPresence(ctx.cluster)} unless group by (${ctx.cluster.label}) (${selector}))`;
  });
}

// ---------------------------------------------------------------- aggregation

export interface Grouping<K extends string> {
  readonly by: readonly K[];
}

/** Every aggregation keeps the cluster label in cluster mode (`withCluster`), and its type says so. */
function aggregation(op: string) {
  function aggregate<L extends string>(input: Vector<L>): Vector<ClusterLabel>;
  function aggregate<L extends string, const K extends L>(input: Vector<L>, grouping: Grouping<K>): Vector<K | ClusterLabel>;
  function aggregate<L extends string, K extends L>(input: Vector<L>, grouping?: Grouping<K>): Vector<K | ClusterLabel> {
    return vector(input.reads, (ctx) => {
      const labels = withCluster(grouping?.by ?? [], ctx);
      const by = labels.length ? ` by (${labels.join(", ")})` : "";
      return `${op}${by} (${input.render(ctx)})`;
    });
  }
  return aggregate;
}

export const sum = aggregation("sum");
export const max = aggregation("max");
export const min = aggregation("min");
export const avg = aggregation("avg");
export const count = aggregation("count");

/** The k largest series; keeps the input's labels. */
export function topk<L extends string>(k: number, input: Vector<L>): Vector<L> {
  return vector(input.reads, (ctx) => `topk(${k}, ${input.render(ctx)})`);
}

/** A φ literal in [0, 1] (0, 1 or 0.something); anything else is a type error. */
export type Quantile<Q extends number> = `${Q}` extends "0" | "1" | `0.${string}` ? Q : never;

/**
 * `histogram_quantile` over a classic histogram, aggregated by `by` with `le` always kept:
 * `histogram_quantile(q, sum by (le, ...by) (rate(<name>_bucket{where}[window])))`.
 */
export function histogramQuantile<M extends HistogramMetric, const K extends LabelOf<M>, const Q extends number>(
  quantile: Quantile<Q>,
  histogram: M,
  options: { readonly by: readonly K[]; readonly where?: GaugeMatchers<M> },
): Vector<K | ClusterLabel> {
  const buckets = rate(bucketsOf(histogram), (options.where ?? {}) as CounterMatchers<HistogramPart<M, "_bucket">>);
  return vector(buckets.reads, (ctx) => {
    const by = ["le", ...withCluster(options.by, ctx)].join(", ");
    return `histogram_quantile(${quantile}, sum by (${by}) (${buckets.render(ctx)}))`;
  });
}

// ---------------------------------------------------------------- binary operators

type Operand<L extends string> = Vector<L> | number;

/** Vector matching for binary operators between two vectors. */
export interface Matching<K extends string> {
  readonly on?: readonly K[];
  readonly ignoring?: readonly K[];
}

function renderOperand(operand: Operand<string>, ctx: RenderContext): string {
  if (typeof operand === "number") return formatNumber(operand);
  const text = operand.render(ctx);
  return operand.binary ? `(${text})` : text;
}

/** PromQL numbers; keeps integers plain and avoids exponent forms for readability. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`PromQL number must be finite, got ${value}`);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

function renderMatching(matching: Matching<string> | undefined, ctx: RenderContext): string {
  if (matching?.on) return ` on (${withCluster(matching.on, ctx).join(", ")})`;
  if (matching?.ignoring) return ` ignoring (${matching.ignoring.join(", ")})`;
  return "";
}

function arithmetic(op: string) {
  return <L extends string, R extends string = never>(left: Operand<L>, right: Operand<R>, matching?: Matching<L & R>): Vector<L | R> =>
    vector(readsOf(left, right), (ctx) => `${renderOperand(left, ctx)} ${op}${renderMatching(matching, ctx)} ${renderOperand(right, ctx)}`, true);
}

export const add = arithmetic("+");
export const sub = arithmetic("-");
export const mul = arithmetic("*");
export const div = arithmetic("/");

/** Comparisons filter the left side and keep its labels. */
function comparison(op: string) {
  return <L extends string>(left: Vector<L>, right: Operand<string>, matching?: Matching<L>): Vector<L> =>
    vector(readsOf(left, right), (ctx) => `${renderOperand(left, ctx)} ${op}${renderMatching(matching, ctx)} ${renderOperand(right, ctx)}`, true);
}

export const gt = comparison(">");
export const gte = comparison(">=");
export const lt = comparison("<");
export const lte = comparison("<=");
export const eq = comparison("==");
export const neq = comparison("!=");

/** `left and right`: left's series where right has a match. */
export function and<L extends string, R extends string>(left: Vector<L>, right: Vector<R>, matching?: Matching<L & R>): Vector<L> {
  return vector(readsOf(left, right), (ctx) => `${renderOperand(left, ctx)} and${renderMatching(matching, ctx)} ${renderOperand(right, ctx)}`, true);
}

/** `left or right`: union; the result may carry either side's labels. */
export function or<L extends string, R extends string>(left: Vector<L>, right: Vector<R>, matching?: Matching<L & R>): Vector<L | R> {
  return vector(readsOf(left, right), (ctx) => `${renderOperand(left, ctx)} or${renderMatching(matching, ctx)} ${renderOperand(right, ctx)}`, true);
}

/** `left unless right`. */
export function unless<L extends string, R extends string>(left: Vector<L>, right: Vector<R>, matching?: Matching<L & R>): Vector<L> {
  return vector(readsOf(left, right), (ctx) => `${renderOperand(left, ctx)} unless${renderMatching(matching, ctx)} ${renderOperand(right, ctx)}`, true);
}

/**
 * `numerator / denominator` for ratios that must not divide by zero or judge a trickle:
 * series whose denominator is at or below `minDenominator` are dropped instead of giving NaN/Inf.
 */
export function ratio<L extends string>(
  numerator: Vector<L>,
  denominator: Vector<L>,
  options: { readonly minDenominator?: number } = {},
): Vector<L> {
  return div(numerator, gt(denominator, options.minDenominator ?? 0));
}

/**
 * A value per cluster (cluster mode): `byCluster[c]` for each listed cluster `c`, `otherwise` for
 * every other cluster that has scrape targets. One series per cluster, to compare `on (cluster)`.
 * Outside cluster mode there are no clusters to tell apart: rendering fails the build.
 */
export function perClusterValue(otherwise: number, byCluster: Readonly<Record<string, number>>): Vector<ClusterLabel> {
  return vector([], (ctx) => {
    const clusters = Object.keys(byCluster);
    if (!ctx.cluster) throw new Error(`values per cluster (${clusters.join(", ")}) need cluster mode: set clusterLabel in build.config.ts, or give one value for all`);
    const label = JSON.stringify(ctx.cluster.label);
    const listed = clusters.map((c) => {
      if (!c) throw new Error("a value per cluster names an empty cluster");
      return `label_replace(vector(${formatNumber(byCluster[c]!)}), ${label}, ${JSON.stringify(c)}, "", "")`;
    });
    const others = `${formatNumber(otherwise)} + 0 * ${clusterPresence(ctx.cluster)}`;
    return [...listed, others].join(` or on (${ctx.cluster.label}) `);
  }, true);
}

// ---------------------------------------------------------------- functions

/**
 * `v or vector(0)`: a count that finds nothing reads 0 (green) instead of "No data". In cluster
 * mode the 0 is per cluster: each scraped cluster without a series of `v` reads 0.
 */
export function orZero<L extends string>(input: Vector<L>): Vector<L> {
  return vector(input.reads, (ctx) => {
    const fallback = ctx.cluster ? `on (${ctx.cluster.label}) (0 * ${clusterPresence(ctx.cluster)})` : "vector(0)";
    return `${renderOperand(input, ctx)} or ${fallback}`;
  }, true);
}

export function clampMin<L extends string>(input: Vector<L>, minimum: number): Vector<L> {
  return vector(input.reads, (ctx) => `clamp_min(${input.render(ctx)}, ${formatNumber(minimum)})`);
}

/** `label_replace(v, dst, "$1", src, "(.*)")`: copies `source` into a new label `target`. */
export function copyLabel<L extends string, const T extends string>(input: Vector<L>, target: T, source: L): Vector<L | T> {
  return vector(input.reads, (ctx) => `label_replace(${input.render(ctx)}, ${JSON.stringify(target)}, "$1", ${JSON.stringify(source)}, "(.*)")`);
}

/** `label_join(v, dst, separator, src...)`. */
export function joinLabels<L extends string, const T extends string>(
  input: Vector<L>,
  target: T,
  separator: string,
  sources: readonly L[],
): Vector<L | T> {
  const args = sources.map((s) => JSON.stringify(s)).join(", ");
  return vector(input.reads, (ctx) => `label_join(${input.render(ctx)}, ${JSON.stringify(target)}, ${JSON.stringify(separator)}, ${args})`);
}

// ---------------------------------------------------------------- label templates

/** Label placeholders for legends and alert templates; only the vector's labels exist. */
export type LabelRefs<L extends string> = { readonly [K in L]: string };

/**
 * Renders a template function with each label replaced by `format(label)`, and reports which
 * labels it used (so tests can check that the query really returns them).
 */
export function renderLabelTemplate<L extends string>(
  template: (labels: LabelRefs<L>) => string,
  format: (label: string) => string,
): { text: string; labels: string[] } {
  const used = new Set<string>();
  const refs = new Proxy({} as LabelRefs<L>, {
    get(_target, label) {
      if (typeof label !== "string") return undefined;
      used.add(label);
      return format(label);
    },
  });
  const text = template(refs);
  return { text, labels: [...used] };
}
