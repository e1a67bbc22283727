// known-metric: the project's own queries name catalogue series (or recording rules) and only
// labels and closed values those series have.

import { TARGET_LABELS } from "../../catalogue";
import { hasVariable } from "../../promql/variables";
import { style, type QueryRule } from "../../rule";

/** Series Prometheus itself writes. */
const BUILTIN_SERIES = new Set(["up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds", "scrape_samples_scraped"]);

export const knownMetric: QueryRule = {
  id: "known-metric",
  scope: "query",
  ...style("error"),
  summary:
    "Own files: every selector names a catalogue series, a recording rule's output or a Prometheus built-in (`up`, `ALERTS`), matches only labels the metric has (plus `job`, `instance`, `le` on buckets), and `=`/`!=` values of closed labels are declared values.",
  rationale: "The catalogue is this project's single source of metric names: a typo or a label the exporter never sets gives an empty panel. Anchor: pint promql/series (offline).",
  cases: {
    bad: [{ expr: "sum(rate(kong_http_request_total[5m]))" }, { expr: 'sum(rate(kong_http_requests_total{colour="red"}[5m]))' }],
    good: [{ expr: "sum(rate(kong_http_requests_total[5m]))" }, { expr: "up == 0" }],
  },
  check(ctx, report) {
    if (!ctx.own) return;
    for (const node of ctx.parsed.nodes) {
      if (node.kind !== "selector" || !node.name || node.name.includes("$") || node.name.startsWith("__var_")) continue;
      const info = ctx.catalogue.get(node.name);
      if (!info) {
        if (!BUILTIN_SERIES.has(node.name) && !ctx.options.recordedNames.has(node.name))
          report(`${node.name} is not in the metric catalogue (catalogue/metrics.ts) nor a recording rule`);
        continue;
      }
      for (const m of node.matchers) {
        if (m.label === "__name__") continue;
        if (!info.labels.has(m.label)) {
          report(`${node.name} has no label ${m.label} (labels: ${[...info.labels].filter((l) => !(TARGET_LABELS as readonly string[]).includes(l)).join(", ") || "none"})`);
          continue;
        }
        const closed = info.metric.values[m.label];
        if (closed && (m.op === "=" || m.op === "!=") && m.value !== "" && !hasVariable(m.value) && !closed.includes(m.value))
          report(`${node.name}{${m.label}${m.op}"${m.value}"}: ${m.label} only takes ${closed.join(", ")}`);
      }
    }
  },
};
