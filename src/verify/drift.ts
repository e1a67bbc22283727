// Catalogue drift: for each catalogue metric the server has, the labels it carries that the
// catalogue does not declare, the declared labels it never carries, closed-set labels with
// values outside the set, and the type the exporter announces (/api/v1/metadata) when it
// differs from the declared one. Informational: drift does not change the exit code.

import { QueryError, type PrometheusClient } from "./client";
import type { Catalogue, Drift } from "./types";
import type { Probe } from "./diagnose";
import { seriesNames, type AnyMetric } from "../model/metric";

/**
 * Labels the scrape adds (target labels of kube-prometheus-stack's ServiceMonitors and
 * PodMonitors, Thanos/Mimir external labels): never declared, never drift.
 */
export const TARGET_LABELS: ReadonlySet<string> = new Set([
  "job", "instance", "namespace", "pod", "service", "endpoint", "container", "node",
  "cluster", "prometheus", "prometheus_replica", "tenant_id",
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Types announced for `metric` (OpenMetrics names a counter family without `_total`). */
async function announcedTypes(client: PrometheusClient, metric: AnyMetric): Promise<string[]> {
  const names = [metric.name, ...(metric.type === "counter" && metric.name.endsWith("_total") ? [metric.name.slice(0, -"_total".length)] : [])];
  const types: string[] = [];
  for (const name of names) {
    let data: unknown;
    try {
      data = await client.api("/api/v1/metadata", new URLSearchParams({ metric: name }));
    } catch (e) {
      if (e instanceof QueryError) return []; // Not offered by this server.
      throw e;
    }
    const entries = isObject(data) && Array.isArray(data[name]) ? data[name] : [];
    for (const entry of entries) if (isObject(entry) && typeof entry.type === "string" && entry.type !== "unknown") types.push(entry.type);
  }
  return [...new Set(types)];
}

export interface DriftReport {
  readonly present: number;
  readonly total: number;
  readonly findings: readonly Drift[];
}

/** `storeLabels`: labels the store adds to every series (cluster mode's cluster label), not drift. */
export async function catalogueDrift(client: PrometheusClient, probe: Probe, catalogue: Catalogue, storeLabels: readonly string[] = []): Promise<DriftReport> {
  const perMetric = await Promise.all(
    catalogue.map(async (metric): Promise<Drift[] | undefined> => {
      try {
        return await metricDrift(client, probe, metric, storeLabels);
      } catch (e) {
        if (e instanceof QueryError) return [{ metric: metric.name, kind: "unchecked", detail: e.message }];
        throw e;
      }
    }),
  );
  return { present: perMetric.filter((f) => f !== undefined && !f.some((d) => d.kind === "unchecked")).length, total: catalogue.length, findings: perMetric.flatMap((f) => f ?? []) };
}

/** Drift of one metric; undefined when the server does not have it. */
async function metricDrift(client: PrometheusClient, probe: Probe, metric: AnyMetric, storeLabels: readonly string[]): Promise<Drift[] | undefined> {
  const name = seriesNames(metric)[0]!;
  if ((await probe.present(name)) === 0) return undefined;
  const findings: Drift[] = [];
  const seen = (await probe.labelNames(name)).filter((l) => l !== "__name__" && l !== "le");
  const undeclared = seen.filter((l) => !metric.labels.includes(l) && !TARGET_LABELS.has(l) && !storeLabels.includes(l));
  if (undeclared.length) findings.push({ metric: metric.name, kind: "label-undeclared", detail: `carries ${undeclared.join(", ")}, not declared in the catalogue` });
  const unseen = metric.labels.filter((l) => !seen.includes(l));
  if (unseen.length) findings.push({ metric: metric.name, kind: "label-unseen", detail: `never carries declared label(s) ${unseen.join(", ")}` });
  for (const [label, closed] of Object.entries(metric.values)) {
    if (!closed?.length || !seen.includes(label)) continue;
    const outside = (await probe.labelValues(label, name)).filter((v) => !closed.includes(v));
    if (outside.length) findings.push({ metric: metric.name, kind: "value-outside-catalogue", detail: `${label} takes ${outside.join(", ")}, outside the declared ${closed.join(", ")}` });
  }
  const types = await announcedTypes(client, metric);
  const wrong = types.filter((t) => t !== metric.type);
  if (wrong.length) findings.push({ metric: metric.name, kind: "type-mismatch", detail: `the exporter announces it as ${wrong.join(", ")}; the catalogue declares a ${metric.type}` });
  return findings;
}
