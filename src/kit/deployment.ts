// What a deployment runs, checked against the definitions: every catalogue source is declared
// deployed or absent, a source the catalogue marks `pending` (nothing emits it yet) is declared
// absent, and every "signal missing" guard names a known source.

import type { RuleGroupDef } from "./alert";
import type { DashboardDef } from "./dashboard";
import type { AnyMetric } from "../model/metric";

/** Source id → deployed or not, as `build.config.ts` declares it. */
export type DeployedSources = Readonly<Record<string, boolean>>;

export function checkDeployment(metrics: readonly AnyMetric[], deployed: DeployedSources, groups: readonly RuleGroupDef[]): string[] {
  const sources = new Map(metrics.map((m) => [m.source.id, m.source]));
  const problems: string[] = [];
  for (const [id, source] of sources) {
    if (typeof deployed[id] !== "boolean") problems.push(`metric source "${id}" is not declared deployed (true) or absent (false) in build.config.ts`);
    else if (source.pending && deployed[id]) problems.push(`metric source "${id}" is declared deployed, but the catalogue says nothing emits it until ${source.pending}`);
  }
  for (const id of Object.keys(deployed)) if (!sources.has(id)) problems.push(`build.config.ts declares source "${id}", which no catalogue metric has`);
  for (const group of groups)
    for (const def of group.alerts)
      if (def.guards !== undefined && !sources.has(def.guards)) problems.push(`alert ${def.name} guards source "${def.guards}", which no catalogue metric has`);
  return problems;
}

/**
 * The dashboards as deployed: a metric of a source declared absent reads as not emitted yet, so
 * the panels reading it say so (the compiler notes every `pending` metric a panel reads).
 */
export function dashboardsForDeployment(dashboards: readonly DashboardDef[], deployed: DeployedSources): DashboardDef[] {
  const asDeployed = (m: AnyMetric): AnyMetric =>
    deployed[m.source.id] === false && !m.source.pending ? { ...m, source: { ...m.source, pending: "its source runs (build.config.ts declares it absent)" } } : m;
  return dashboards.map((d) => ({
    ...d,
    panels: d.panels.map((p) => ({ ...p, targets: p.targets.map((t) => ({ ...t, reads: t.reads.map(asDeployed) })) })),
  }));
}
