// Cluster mode (build.config.ts `clusterLabel`) for tests: the platform built in memory with it on.

import { parse } from "yaml";
import { platformInput } from "../../scripts/platform";
import { generateOutputs } from "../../src/pipeline/generate";
import { panelTargets, type PanelTarget } from "./synthetic/queries";

export interface BuiltRule {
  readonly file: string;
  readonly group: string;
  /** The alert's or the recorded series' name. */
  readonly name: string;
  readonly alert: boolean;
  readonly expr: string;
}

/** The platform's dashboards and rules as `npm run build` writes them, in cluster mode when `clusterLabel` is given. */
export function buildPlatform(clusterLabel?: string) {
  const files = generateOutputs({ ...platformInput, config: { ...platformInput.config, clusterLabel } }).files;
  const ruleFiles = files.filter((f) => f.path.startsWith("prometheus/"));
  const rules: BuiltRule[] = ruleFiles.flatMap((f) =>
    (parse(f.content) as { groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[] }).groups.flatMap((g) =>
      g.rules.map((r) => ({ file: f.path, group: g.name, name: r.alert ?? r.record ?? "", alert: r.alert !== undefined, expr: r.expr })),
    ),
  );
  const targets: PanelTarget[] = files.filter((f) => f.path.startsWith("dashboards/")).flatMap((f) => panelTargets(JSON.parse(f.content) as Record<string, unknown>));
  return { files, rules, targets, ruleFiles: new Map(ruleFiles.map((f) => [f.path, f.content])) };
}
