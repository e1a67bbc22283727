// Series over time for incident scenarios, typed against the catalogue, and their encoding in
// promtool's `input_series` notation. Time `t` is seconds since the scenario starts; a sample
// function returns undefined while the series does not exist (target gone, stats switched off).

import type { AnyMetric, CounterMetric, GaugeMetric, HistogramMetric, LabelOf } from "../../src/model/metric";

/** Prometheus's scrape interval in the scenarios (kube-prometheus-stack's default). */
export const SCRAPE_SECONDS = 30;

/** Labels the scrape adds to every series besides the metric's own. */
type ScrapeLabel = "job" | "instance" | "namespace" | "pod";
type LabelsOf<M extends AnyMetric> = Readonly<Partial<Record<LabelOf<M> | ScrapeLabel, string>>>;

export type At<T> = (t: number) => T;

export interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** One entry per scrape; undefined: no sample (the series is gone). */
  readonly samples: readonly (number | undefined)[];
}

/** Drops labels left undefined. */
const defined = (labels: Readonly<Record<string, string | undefined>>): Record<string, string> =>
  Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => e[1] !== undefined));

const steps = (minutes: number) => Math.floor((minutes * 60) / SCRAPE_SECONDS) + 1;
const round = (n: number) => Math.round(n * 1000) / 1000;

export function gaugeOf<M extends GaugeMetric>(metric: M, labels: LabelsOf<M>, value: At<number | undefined>, minutes: number): Series {
  return { name: metric.name, labels: defined(labels), samples: Array.from({ length: steps(minutes) }, (_, i) => value(i * SCRAPE_SECONDS)) };
}

/**
 * A counter increasing at `perSecond`; undefined while it does not exist. A counter that comes back
 * starts again from `restartAt` (a new process); `startAt` is its value when first seen.
 */
export function counterOf<M extends CounterMetric>(
  metric: M,
  labels: LabelsOf<M>,
  perSecond: At<number | undefined>,
  minutes: number,
  options: { readonly startAt?: number } = {},
): Series {
  return { name: metric.name, labels: defined(labels), samples: integrate(perSecond, minutes, options.startAt ?? 0) };
}

function integrate(perSecond: At<number | undefined>, minutes: number, startAt: number): (number | undefined)[] {
  const samples: (number | undefined)[] = [];
  let total: number | undefined;
  for (let i = 0; i < steps(minutes); i++) {
    const rate = perSecond(i * SCRAPE_SECONDS);
    if (rate === undefined) {
      total = undefined;
      samples.push(undefined);
      continue;
    }
    total = total === undefined ? startAt : round(total + rate * SCRAPE_SECONDS);
    samples.push(total);
  }
  return samples;
}

/** Bucket boundaries and the share of observations at or below each, from one latency figure. */
export type Distribution = (le: number) => number;

/** A latency distribution with half the observations under p99/4, 99 % under p99, all under 2×p99. */
export function latency(p99: number): Distribution {
  const points: [number, number][] = [[0, 0], [p99 / 4, 0.5], [p99, 0.99], [2 * p99, 1]];
  return (le) => {
    if (le >= 2 * p99) return 1;
    for (let i = 1; i < points.length; i++) {
      const [x0, y0] = points[i - 1]!;
      const [x1, y1] = points[i]!;
      if (le <= x1) return y0 + ((y1 - y0) * (le - x0)) / (x1 - x0);
    }
    return 1;
  };
}

/** `_bucket` (one per `le`, +Inf included), `_sum` and `_count` of a classic histogram. */
export function histogramOf<M extends HistogramMetric>(
  metric: M,
  labels: LabelsOf<M>,
  buckets: readonly number[],
  perSecond: At<number | undefined>,
  distribution: At<{ readonly shareAtOrBelow: Distribution; readonly mean: number }>,
  minutes: number,
): Series[] {
  const part = (suffix: string, extra: Record<string, string>, rate: At<number | undefined>): Series => ({
    name: metric.name + suffix,
    labels: { ...defined(labels), ...extra },
    samples: integrate(rate, minutes, 0),
  });
  return [
    ...buckets.map((le) => part("_bucket", { le: String(le) }, (t) => scale(perSecond(t), distribution(t).shareAtOrBelow(le)))),
    part("_bucket", { le: "+Inf" }, perSecond),
    part("_count", {}, perSecond),
    part("_sum", {}, (t) => scale(perSecond(t), distribution(t).mean)),
  ];
}

const scale = (rate: number | undefined, factor: number) => (rate === undefined ? undefined : rate * factor);

// ---------------------------------------------------------------- promtool notation

const number = (n: number) => String(round(n));

/**
 * promtool's expanding notation: `a+bxn` is n+1 values from a in steps of b, `_xn` n missing
 * samples, `stale` the staleness marker Prometheus writes when a series disappears.
 */
export function encodeSamples(samples: readonly (number | undefined)[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < samples.length) {
    const value = samples[i];
    if (value === undefined) {
      const present = i > 0 && samples[i - 1] !== undefined;
      if (present) {
        out.push("stale");
        i++;
        continue;
      }
      let n = 0;
      while (i + n < samples.length && samples[i + n] === undefined) n++;
      out.push(n === 1 ? "_" : `_x${n}`);
      i += n;
      continue;
    }
    // The longest run with one constant step from here.
    const next = samples[i + 1];
    if (next === undefined) {
      out.push(number(value));
      i++;
      continue;
    }
    const step = round(next - value);
    let n = 1;
    while (i + n + 1 < samples.length && samples[i + n + 1] !== undefined && round(samples[i + n + 1]! - samples[i + n]!) === step) n++;
    out.push(step === 0 ? `${number(value)}x${n}` : `${number(value)}${step < 0 ? "-" : "+"}${number(Math.abs(step))}x${n}`);
    i += n + 1;
  }
  return out.join(" ");
}

/** The series as promtool's `series` selector text. */
export function seriesSelector(series: Series): string {
  const labels = Object.entries(series.labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${series.name}{${labels.join(", ")}}`;
}
