// Metric declarations for the catalogue. Each metric is written once: its name is its key in a
// `family`, its source the family's, and `counter`/`gauge`/`histogram` infer its labels and closed
// label values as literal types, so queries are checked against them.

import type { GrafanaUnit } from "../model/grafana-units";
import type { LabelValues, MetricDef, MetricSource, MetricType } from "../model/metric";

/** A metric as the catalogue writes it: no name (its key) and no source (its family's). */
export type MetricSpec<T extends MetricType = MetricType, L extends string = string, V extends LabelValues<L> = LabelValues<L>> = Omit<
  MetricDef<string, T, L, V>,
  "name" | "source"
>;

interface SpecInput<L extends string, V extends LabelValues<L>> {
  readonly help: string;
  readonly unit: GrafanaUnit;
  readonly labels: readonly L[];
  readonly values?: V;
  readonly buckets?: readonly number[];
  // NoInfer: examples must not widen the label set inferred from `labels`.
  readonly examples?: NoInfer<LabelValues<L>>;
}

function declare<T extends MetricType>(type: T) {
  return <const L extends string, const V extends LabelValues<L> = {}>(input: SpecInput<L, V>): MetricSpec<T, L, V> => ({
    ...input,
    type,
    values: input.values ?? ({} as V),
  });
}

/** A monotonically increasing count (Prometheus counter; Envoy counters lack the `_total` suffix). */
export const counter = declare("counter");
/** A value that goes up and down. Never `rate()` it. */
export const gauge = declare("gauge");
/** A classic Prometheus histogram: `<name>_bucket{le}`, `<name>_sum`, `<name>_count`. */
export const histogram = declare("histogram");

type Named<N extends string, S> = S extends MetricSpec<infer T, infer L, infer V> ? MetricDef<N, T, L, V> : never;

/** Metrics one exporter emits: each named by its key, all with the family's source. */
export function family<const D extends Readonly<Record<string, MetricSpec>>>(source: MetricSource, specs: D): { readonly [N in keyof D & string]: Named<N, D[N]> } {
  const named = Object.entries(specs).map(([name, spec]) => [name, { name, ...spec, source }] as const);
  return Object.fromEntries(named) as { readonly [N in keyof D & string]: Named<N, D[N]> };
}
