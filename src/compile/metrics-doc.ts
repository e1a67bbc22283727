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
    return `| ${series} | ${metric.type} | ${cell(metric.help)} | ${labels}${values ? `<br>values: ${cell(values)}` : ""} | ${metric.source.owner} | ${cell(metric.source.exporter)} | ${cell(metric.source.requires ?? "on by default")} |`;
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
