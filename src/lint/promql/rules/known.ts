// known-metric: in the project's own dashboards and rules, every selector names a catalogue
// series (or a recording rule's output) and only uses labels and closed values it really has.

import { TARGET_LABELS } from "../../catalogue";
import type { QueryContext } from "../context";
import { hasVariable } from "../variables";

/** Series Prometheus itself writes. */
const BUILTIN_SERIES = new Set(["up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds", "scrape_samples_scraped"]);

export function knownMetricRules(ctx: QueryContext): void {
  if (!ctx.own) return;
  for (const node of ctx.parsed.nodes) {
    if (node.kind !== "selector" || !node.name || node.name.includes("$") || node.name.startsWith("__var_")) continue;
    const info = ctx.catalogue.get(node.name);
    if (!info) {
      if (!BUILTIN_SERIES.has(node.name) && !ctx.options.recordedNames.has(node.name))
        ctx.report("known-metric", "error", `${node.name} is not in the metric catalogue (catalogue/metrics.ts) nor a recording rule`);
      continue;
    }
    for (const m of node.matchers) {
      if (m.label === "__name__") continue;
      if (!info.labels.has(m.label)) {
        ctx.report("known-metric", "error", `${node.name} has no label ${m.label} (labels: ${[...info.labels].filter((l) => !(TARGET_LABELS as readonly string[]).includes(l)).join(", ") || "none"})`);
        continue;
      }
      const closed = info.metric.values[m.label];
      if (closed && (m.op === "=" || m.op === "!=") && m.value !== "" && !hasVariable(m.value) && !closed.includes(m.value))
        ctx.report("known-metric", "error", `${node.name}{${m.label}${m.op}"${m.value}"}: ${m.label} only takes ${closed.join(", ")}`);
    }
  }
}
