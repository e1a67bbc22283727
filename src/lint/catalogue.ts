// Lookups over the metric catalogue: what kind of series a name is, and which labels it has.

import { seriesNames, type AnyMetric } from "../model/metric";

export type SeriesKind = "counter" | "gauge" | "unknown";

export interface SeriesInfo {
  readonly metric: AnyMetric;
  /** Labels the series really carries: the metric's, `le` on buckets, and target labels. */
  readonly labels: ReadonlySet<string>;
  readonly kind: SeriesKind;
}

/** Labels Prometheus adds to every scraped series. */
export const TARGET_LABELS = ["job", "instance"] as const;

export class CatalogueIndex {
  private readonly series = new Map<string, SeriesInfo>();

  constructor(metrics: readonly AnyMetric[]) {
    for (const metric of metrics) {
      for (const name of seriesNames(metric)) {
        const labels = new Set<string>([...metric.labels, ...TARGET_LABELS]);
        if (name.endsWith("_bucket") && metric.type === "histogram") labels.add("le");
        // Every series of a classic histogram is a counter.
        const kind: SeriesKind = metric.type === "gauge" ? "gauge" : "counter";
        this.series.set(name, { metric, labels, kind });
      }
    }
  }

  get(name: string): SeriesInfo | undefined {
    return this.series.get(name);
  }

  /**
   * Counter or gauge by name: the catalogue first (so `kong_nginx_connections_total` is a gauge
   * and Envoy counters without `_total` are counters), then the naming convention. `_sum` alone
   * is not taken as a counter outside the catalogue: exporters name gauges `*_sum` (kafka_exporter's
   * `kafka_consumergroup_lag_sum`).
   */
  kind(name: string): SeriesKind {
    const known = this.series.get(name);
    if (known) return known.kind;
    if (/_(total|bucket|count)$/.test(name)) return "counter";
    return "unknown";
  }
}

const cache = new WeakMap<readonly AnyMetric[], CatalogueIndex>();
export function indexCatalogue(metrics: readonly AnyMetric[]): CatalogueIndex {
  let index = cache.get(metrics);
  if (!index) {
    index = new CatalogueIndex(metrics);
    cache.set(metrics, index);
  }
  return index;
}
