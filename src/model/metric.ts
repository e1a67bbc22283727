// What a metric is: the vocabulary every query, panel and alert is written in. The catalogue
// (catalogue/metrics.ts) declares the instances with src/kit/metric.ts; the linter reads them as these types.

import type { GrafanaUnit } from "./grafana-units";

export type MetricType = "counter" | "gauge" | "histogram";

/** Who emits a metric, and what must be switched on for it to exist. */
export interface MetricSource {
  /**
   * The deployment switch: `build.config.ts` declares per id whether the source runs. Alerts that
   * report the source missing are compiled only where it does.
   */
  readonly id: string;
  /** The exporter or library that emits it, e.g. "Istio sidecar (Envoy)". */
  readonly exporter: string;
  /** Configuration or version it needs; omitted when it is on by default. */
  readonly requires?: string;
  /** "upstream": a standard exporter emits it. "platform": 254Carbon's own code must. */
  readonly owner: "upstream" | "platform";
  /** Where the name was read from (docs page or source file). */
  readonly reference: string;
  /**
   * Set while nothing emits the metric yet (platform metrics whose emitter has not shipped):
   * what has to happen first. Every panel reading such a metric says so in its description.
   */
  readonly pending?: string;
}

/** Label values a label may take, for the labels that have a closed set of them. */
export type LabelValues<L extends string> = { readonly [K in L]?: readonly string[] };

export interface MetricDef<
  N extends string = string,
  T extends MetricType = MetricType,
  L extends string = string,
  V extends LabelValues<L> = LabelValues<L>,
> {
  readonly name: N;
  readonly type: T;
  readonly help: string;
  /** Unit of the raw value, as a Grafana unit id ("ms", "bytes", "short"). */
  readonly unit: GrafanaUnit;
  readonly labels: readonly L[];
  readonly values: V;
  /**
   * Histograms whose emitter we own: the bucket upper bounds (`le`, in `unit`, +Inf implied)
   * it must declare, so that the quantiles the panels and alerts compute can be resolved.
   */
  readonly buckets?: readonly number[];
  /** Realistic values of open labels (not a closed set), for synthetic test data. */
  readonly examples?: LabelValues<L>;
  readonly source: MetricSource;
}

export type AnyMetric = MetricDef<string, MetricType, string, LabelValues<string>>;
export type CounterMetric = MetricDef<string, "counter", string, LabelValues<string>>;
export type GaugeMetric = MetricDef<string, "gauge", string, LabelValues<string>>;
export type HistogramMetric = MetricDef<string, "histogram", string, LabelValues<string>>;

/**
 * Cluster mode as the type checker sees it: build.config.ts merges `{ label: typeof clusterLabel }`
 * into this interface, so the configured name (e.g. "k8s_cluster") is a label of every metric and
 * of every aggregation's result. Its label undefined (single cluster): no extra label.
 */
export interface ClusterLabelSetting {}
/** The cluster label's name as a type: `never` outside cluster mode. */
export type ClusterLabel = ClusterLabelSetting extends { readonly label: infer L extends string } ? L : never;

/** A metric's labels, the cluster label included in cluster mode. */
export type LabelOf<M> = (M extends MetricDef<string, MetricType, infer L, LabelValues<string>> ? L : never) | ClusterLabel;
export type ValuesOf<M> = M extends MetricDef<string, MetricType, string, infer V> ? V : never;

/** The series names a metric really has in Prometheus. */
export function seriesNames(metric: AnyMetric): string[] {
  return metric.type === "histogram"
    ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`]
    : [metric.name];
}
