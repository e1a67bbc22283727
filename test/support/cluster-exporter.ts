// A live synthetic exporter for the multi-cluster proof: every catalogue metric, one text
// exposition per cluster at /metrics/<cluster>, values computed at scrape time (counters grow
// at a fixed rate per series). An incident sets the share of 5xx answers of Istio requests in
// one cluster; every other series is the same in every cluster.

import { createServer, type Server } from "node:http";
import type { AnyMetric } from "../../src/model/metric";
import { labelText } from "./synthetic/openmetrics";
import { seriesOf, type SeriesSpec } from "./synthetic/series";

export interface ClusterExporter {
  readonly url: (cluster: string) => string;
  readonly hostPort: string;
  readonly stop: () => Promise<void>;
}

/** Share of 5xx among Istio requests, per cluster (0 unless given). */
export type ErrorRatios = Readonly<Record<string, number>>;

const REQUESTS = "istio_requests_total";
// Per second, per series. High, because rate() over a rule's 5m window divides the few seconds of
// samples the test has by the whole window, and rules ignore services below 1 req/s.
const BASE_RATE = 200;
const BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

const isError = (s: SeriesSpec) => s.metric.name === REQUESTS && /^5/.test(s.labels.response_code ?? "");
/** Istio series that share a service (and reporter) share one error ratio. */
const serviceKey = (s: SeriesSpec) => [s.labels.reporter, s.labels.destination_service_namespace, s.labels.destination_service_name].join("|");

/** Per-series rate in one cluster: 5xx series carry exactly `ratio` of their service's requests. */
function ratesFor(series: readonly SeriesSpec[], ratio: number): Map<SeriesSpec, number> {
  const counts = new Map<string, { errors: number; others: number }>();
  for (const s of series.filter((s) => s.metric.name === REQUESTS)) {
    const c = counts.get(serviceKey(s)) ?? { errors: 0, others: 0 };
    if (isError(s)) c.errors++;
    else c.others++;
    counts.set(serviceKey(s), c);
  }
  return new Map(
    series.map((s) => {
      if (!isError(s)) return [s, BASE_RATE];
      const c = counts.get(serviceKey(s))!;
      return [s, ratio === 0 || c.others === 0 ? 0 : (ratio / (1 - ratio)) * ((c.others * BASE_RATE) / c.errors)];
    }),
  );
}

function exposition(series: readonly SeriesSpec[], rates: ReadonlyMap<SeriesSpec, number>, elapsedS: number): string {
  const lines: string[] = [];
  for (const s of series) {
    const { metric, labels } = s;
    const rate = rates.get(s)!;
    if (metric.type === "counter") lines.push(`${metric.name}${labelText(labels)} ${rate * elapsedS}`);
    else if (metric.type === "gauge") lines.push(`${metric.name}${labelText(labels)} ${metric.unit === "bool" ? 1 : 1 + (s.index % 5)}`);
    else {
      const total = rate * elapsedS;
      const bounds = metric.buckets ?? BUCKETS;
      const median = bounds[Math.floor(bounds.length / 2)]!;
      for (const b of bounds) lines.push(`${metric.name}_bucket${labelText({ ...labels, le: String(b) })} ${total / (1 + (median / b) ** 1.5)}`);
      lines.push(`${metric.name}_bucket${labelText({ ...labels, le: "+Inf" })} ${total}`);
      lines.push(`${metric.name}_sum${labelText(labels)} ${total * median}`, `${metric.name}_count${labelText(labels)} ${total}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Serves `/metrics/<cluster>` for each cluster on 127.0.0.1 and a free port. */
export async function startClusterExporter(metrics: readonly AnyMetric[], clusters: readonly string[], errorRatios: ErrorRatios): Promise<ClusterExporter> {
  const series = metrics.flatMap(seriesOf);
  const rates = new Map(clusters.map((c) => [c, ratesFor(series, errorRatios[c] ?? 0)]));
  const started = Date.now();
  const server: Server = createServer((request, response) => {
    const cluster = /^\/metrics\/([\w-]+)$/.exec(request.url ?? "")?.[1];
    const clusterRates = cluster === undefined ? undefined : rates.get(cluster);
    if (!clusterRates) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition(series, clusterRates, (Date.now() - started) / 1000));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("exporter has no TCP address");
  const hostPort = `127.0.0.1:${address.port}`;
  return {
    hostPort,
    url: (cluster) => `http://${hostPort}/metrics/${cluster}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
