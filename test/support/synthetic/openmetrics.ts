// OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: counters increase,
// gauges vary, boolean gauges (unit "bool") are 0/1 with some 1s, histograms have cumulative
// buckets up to le="+Inf" with matching _sum and _count.

import type { AnyMetric } from "../../../src/model/metric";
import { inClusters, seriesOf, type SeriesSpec } from "./series";

export interface SyntheticOptions {
  /** Unix seconds of the first and last sample. */
  readonly start: number;
  readonly end: number;
  /** Seconds between samples (the scrape interval). */
  readonly step: number;
  /** Cluster mode: every series once per cluster, labelled `label` = the cluster's name. */
  readonly clusters?: { readonly label: string; readonly names: readonly string[] };
}

export interface SyntheticData {
  readonly text: string;
  /** Series written (each histogram bucket, _sum and _count counted). */
  readonly seriesCount: number;
  readonly sampleCount: number;
}

/** The buckets the catalogue declares for the metric, else typical ones for its unit. */
function bucketsFor(metric: AnyMetric): readonly number[] {
  if (metric.buckets) return metric.buckets;
  if (metric.unit === "s") return [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10];
  return [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
}

/** Fraction of observations at or below each bound: a log-normal-ish shape, ending at 1. */
function cdf(bounds: readonly number[], median: number): number[] {
  return bounds.map((b) => 1 / (1 + (median / b) ** 1.5));
}

function escape(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export function labelText(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** A stable pseudo-random number in [0, 1) from integers. */
function noise(a: number, b: number): number {
  const x = Math.sin(a * 12.9898 + b * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

function isBoolean(metric: AnyMetric): boolean {
  return metric.unit === "bool";
}

export function generateOpenMetrics(metrics: readonly AnyMetric[], options: SyntheticOptions): SyntheticData {
  const lines: string[] = [];
  let seriesCount = 0;
  const times: number[] = [];
  for (let t = options.start; t <= options.end; t += options.step) times.push(t);
  // Prometheus wants each metric name's samples together; output is grouped by series name.
  const byName = new Map<string, string[]>();
  const emit = (name: string, labels: Readonly<Record<string, string>>, values: readonly number[]) => {
    const head = `${name}${labelText(labels)} `;
    const out = byName.get(name) ?? [];
    values.forEach((v, i) => out.push(`${head}${Number.isInteger(v) ? v : v.toFixed(6)} ${times[i]}`));
    byName.set(name, out);
    seriesCount++;
  };

  for (const [m, metric] of metrics.entries()) {
    const specs = seriesOf(metric);
    for (const s of options.clusters ? inClusters(specs, options.clusters.label, options.clusters.names) : specs) {
      const seed = m * 1000 + s.index;
      if (metric.type === "counter") emit(metric.name, s.labels, counterValues(times.length, seed, options.step));
      else if (metric.type === "gauge") emit(metric.name, s.labels, gaugeValues(metric, s, times.length, seed));
      else histogramSeries(metric, s, times.length, seed, options.step, emit);
    }
  }
  for (const name of [...byName.keys()].sort()) lines.push(...byName.get(name)!);
  lines.push("# EOF");
  return { text: `${lines.join("\n")}\n`, seriesCount, sampleCount: seriesCount * times.length };
}

function counterValues(n: number, seed: number, step: number): number[] {
  const perSecond = 0.5 + 20 * noise(seed, 1);
  const out: number[] = [];
  let v = Math.floor(1000 * noise(seed, 2));
  for (let i = 0; i < n; i++) {
    v += Math.round(perSecond * step * (0.6 + 0.8 * noise(seed, i)));
    out.push(v);
  }
  return out;
}

function gaugeValues(metric: AnyMetric, s: SeriesSpec, n: number, seed: number): number[] {
  if (isBoolean(metric)) {
    // Some series are 1 the whole time, some flap, the rest stay 0.
    const mode = s.index % 3;
    return Array.from({ length: n }, (_, i) => (mode === 0 ? 1 : mode === 1 ? (Math.floor(i / 10) % 2) : 0));
  }
  const base = 10 + Math.floor(1000 * noise(seed, 3));
  return Array.from({ length: n }, (_, i) => Math.max(0, Math.round(base + base * 0.3 * Math.sin(i / 7 + seed) + i * noise(seed, 4))));
}

function histogramSeries(
  metric: AnyMetric,
  s: SeriesSpec,
  n: number,
  seed: number,
  step: number,
  emit: (name: string, labels: Readonly<Record<string, string>>, values: readonly number[]) => void,
): void {
  const bounds = bucketsFor(metric);
  const median = bounds[Math.floor(bounds.length / 2)]! * (0.3 + noise(seed, 5));
  const fractions = cdf(bounds, median);
  const perSecond = 0.5 + 10 * noise(seed, 6);
  const counts: number[] = [];
  const sums: number[] = [];
  const buckets = bounds.map(() => [] as number[]);
  let count = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const observed = Math.round(perSecond * step * (0.6 + 0.8 * noise(seed, i)));
    count += observed;
    sum += observed * median;
    counts.push(count);
    sums.push(sum);
    // Cumulative and monotone in `le` because the fractions are increasing.
    fractions.forEach((f, b) => buckets[b]!.push(Math.floor(count * f)));
  }
  bounds.forEach((b, i) => emit(`${metric.name}_bucket`, { ...s.labels, le: String(b) }, buckets[i]!));
  emit(`${metric.name}_bucket`, { ...s.labels, le: "+Inf" }, counts);
  emit(`${metric.name}_sum`, s.labels, sums);
  emit(`${metric.name}_count`, s.labels, counts);
}
