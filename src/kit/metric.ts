// Metric declarations for the catalogue: `counter({...})` infers the name, labels and closed
// label values as literal types, so queries are checked against them.

import type { GrafanaUnit } from "../model/grafana-units";
import type { LabelValues, MetricDef, MetricSource, MetricType } from "../model/metric";

interface MetricInput<N extends string, L extends string, V extends LabelValues<L>> {
  readonly name: N;
  readonly help: string;
  readonly unit: GrafanaUnit;
  readonly labels: readonly L[];
  readonly values?: V;
  readonly buckets?: readonly number[];
  // NoInfer: examples must not widen the label set inferred from `labels`.
  readonly examples?: NoInfer<LabelValues<L>>;
  readonly source: MetricSource;
}

function declare<T extends MetricType>(type: T) {
  return <const N extends string, const L extends string, const V extends LabelValues<L> = {}>(
    input: MetricInput<N, L, V>,
  ): MetricDef<N, T, L, V> => ({ ...input, type, values: input.values ?? ({} as V) });
}

/** A monotonically increasing count (Prometheus counter; Envoy counters lack the `_total` suffix). */
export const counter = declare("counter");
/** A value that goes up and down. Never `rate()` it. */
export const gauge = declare("gauge");
/** A classic Prometheus histogram: `<name>_bucket{le}`, `<name>_sum`, `<name>_count`. */
export const histogram = declare("histogram");
