// docs/metrics.md, generated from the catalogue so the documentation cannot drift from it.

import { seriesNames, type AnyMetric } from "../model/metric";

const cell = (text: string) => text.replace(/\|/g, "\\|");

export function metricsDoc(catalogue: readonly AnyMetric[]): string {
  const rows = catalogue.map((metric) => {
    const values = Object.entries(metric.values as Record<string, readonly string[]>)
      .map(([label, vs]) => `${label}: ${vs.join(", ")}`)
      .join("; ");
    const labels = metric.labels.length ? metric.labels.map((l) => `\`${l}\``).join(", ") : "(none)";
    const series = seriesNames(metric).map((s) => `\`${s}\``).join("<br>");
    const buckets = metric.buckets ? `<br>buckets (\`le\`, ${metric.unit}): ${metric.buckets.join(", ")}, +Inf` : "";
    const needs = [metric.source.requires ?? "on by default", metric.source.pending && `**not emitted yet**: no data until ${metric.source.pending}`].filter(Boolean).join("; ");
    return `| ${series} | ${metric.type}${buckets} | ${cell(metric.help)} | ${labels}${values ? `<br>values: ${cell(values)}` : ""} | ${metric.source.owner} | ${cell(metric.source.exporter)} | ${cell(needs)} |`;
  });
  return [
    "# Metric catalogue",
    "",
    "Generated from `catalogue/metrics.ts` by `npm run docs` (a test fails when this file is stale). Every panel and alert",
    "reads only these series. `owner: platform` marks metrics no standard exporter emits: 254Carbon's own code must.",
    "",
    "| series | type | meaning | labels | owner | emitted by | needs |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
