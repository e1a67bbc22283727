// What a deployment runs, applied to definitions: which metric sources exist decides which
// "signal missing" guards are compiled and which panels must say they show nothing yet.

import type { RuleGroupDef } from "./alert";
import type { DashboardDef } from "./dashboard";
import { seriesNames, type AnyMetric, type MetricSource } from "./metric";
import type { PanelDef } from "./panel";

/** Source id → deployed or not, as `build.config.ts` declares it. */
export type DeployedSources = Readonly<Record<string, boolean>>;

/** The metrics a PromQL text reads (series names as whole words; `_bucket` etc. for histograms). */
export function metricsReadBy(exprs: readonly string[], metrics: readonly AnyMetric[]): AnyMetric[] {
  return metrics.filter((metric) => seriesNames(metric).some((name) => exprs.some((expr) => new RegExp(`(?<![\\w:])${name}(?![\\w:])`).test(expr))));
}

function undeployedSourcesOf(panel: PanelDef, metrics: readonly AnyMetric[], deployed: DeployedSources): MetricSource[] {
  const sources = metricsReadBy(panel.targets.map((t) => t.expr), metrics).map((m) => m.source);
  return [...new Map(sources.filter((s) => deployed[s.id] !== true).map((s) => [s.id, s])).values()];
}

/** The panels reading a source the deployment does not run say so at the start of their description. */
export function noteUndeployedSources(def: DashboardDef, metrics: readonly AnyMetric[], deployed: DeployedSources): DashboardDef {
  const panels = def.panels.map((panel) => {
    const missing = undeployedSourcesOf(panel, metrics, deployed);
    if (!missing.length) return panel;
    const names = missing.map((s) => s.exporter).join("; ");
    return { ...panel, description: `Not deployed yet, so this panel shows no data: ${names}. ${panel.description}` };
  });
  return { ...def, panels };
}

/** Every source the catalogue names is declared, nothing else is, and every guard names a declared source. */
export function checkDeployment(metrics: readonly AnyMetric[], deployed: DeployedSources, groups: readonly RuleGroupDef[]): string[] {
  const known = new Set(metrics.map((m) => m.source.id));
  const problems: string[] = [];
  for (const id of known) if (typeof deployed[id] !== "boolean") problems.push(`metric source "${id}" is not declared deployed (true) or absent (false) in build.config.ts`);
  for (const id of Object.keys(deployed)) if (!known.has(id)) problems.push(`build.config.ts declares source "${id}", which no catalogue metric has`);
  for (const group of groups)
    for (const def of group.alerts)
      if (def.guards !== undefined && !known.has(def.guards)) problems.push(`alert ${def.name} guards source "${def.guards}", which no catalogue metric has`);
  return problems;
}
