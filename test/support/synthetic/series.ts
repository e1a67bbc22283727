// Synthetic series for every catalogue metric, driven by its declaration: every closed label
// value appears, open labels take their `examples` (or one placeholder), and every example
// value meets every combination of closed values, so filtered panels find data.

import type { AnyMetric } from "../../../src/model/metric";

export interface SeriesSpec {
  readonly metric: AnyMetric;
  readonly labels: Readonly<Record<string, string>>;
  /** Position among the metric's series, used to vary values deterministically. */
  readonly index: number;
}

/** Enough to hit every combination without flooding Prometheus. */
const MAX_SERIES_PER_METRIC = 200;

export function labelSets(metric: AnyMetric): Record<string, string>[] {
  const closed = metric.labels.filter((l) => metric.values[l]?.length);
  const open = metric.labels.filter((l) => !metric.values[l]?.length);
  const openValues = open.map((l) => {
    const examples = metric.examples?.[l];
    return examples?.length ? examples : [`${l.replace(/_/g, "-")}-1`];
  });
  const rounds = Math.max(1, ...openValues.map((v) => v.length));

  let combos: Record<string, string>[] = [{}];
  for (const label of closed) combos = combos.flatMap((c) => metric.values[label]!.map((v) => ({ ...c, [label]: v })));
  const out: Record<string, string>[] = [];
  for (let round = 0; round < rounds; round++)
    for (const combo of combos) {
      const set: Record<string, string> = { ...combo };
      open.forEach((label, i) => {
        const values = openValues[i]!;
        set[label] = values[(round + out.length) % values.length]!;
      });
      // Keep the round's example value aligned across open labels (service with its route, ...).
      open.forEach((label, i) => {
        const values = openValues[i]!;
        if (values.length === rounds) set[label] = values[round]!;
      });
      out.push(set);
      if (out.length >= MAX_SERIES_PER_METRIC) return out;
    }
  return out;
}

export function seriesOf(metric: AnyMetric): SeriesSpec[] {
  return labelSets(metric).map((labels, index) => ({ metric, labels, index }));
}

/** Each series once per cluster, with the cluster label: what a global store holds for them. */
export function inClusters<S extends { readonly labels: Readonly<Record<string, string>> }>(series: readonly S[], label: string, clusters: readonly string[]): S[] {
  return clusters.flatMap((cluster) => series.map((s) => ({ ...s, labels: { ...s.labels, [label]: cluster } })));
}
