// Lookups over the metric catalogue: what kind of series a name is, and which labels it has.

import { seriesNames, type AnyMetric } from "../model/metric";
import type { MetadataType } from "./metadata";

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

/** Series of a family: histogram and summary parts, and a counter's `_total`. */
const FAMILY_SUFFIXES: readonly [RegExp, readonly MetadataType[]][] = [
  [/_(bucket|count|sum)$/, ["histogram", "summary"]],
  [/_total$/, ["counter"]],
];

function fromMetadata(metadata: ReadonlyMap<string, MetadataType>, name: string): SeriesKind | undefined {
  const direct = metadata.get(name);
  if (direct === "counter") return "counter";
  if (direct === "gauge") return "gauge";
  for (const [suffix, types] of FAMILY_SUFFIXES) {
    const family = metadata.get(name.replace(suffix, ""));
    if (suffix.test(name) && family && types.includes(family)) return "counter";
  }
  return undefined;
}

/**
 * Counter or gauge: the catalogue first (so `kong_nginx_connections_total` is a gauge), then
 * `# TYPE` metadata, then only the two names that say it themselves: OpenMetrics requires
 * `_total` on counters and `_bucket` is a histogram's. `_count` and `_sum` alone prove nothing
 * (Istio ztunnel's `workload_manager_active_proxy_count` is a gauge).
 */
export function seriesKind(catalogue: CatalogueIndex, metadata: ReadonlyMap<string, MetadataType>, name: string): SeriesKind {
  const known = catalogue.get(name);
  if (known) return known.kind;
  const declared = fromMetadata(metadata, name);
  if (declared) return declared;
  return /_(total|bucket)$/.test(name) ? "counter" : "unknown";
}
