// The whole build in memory: definitions in, every output file out, or a BuildError that
// lists every problem. Nothing here touches the disk, so tests and the staleness check can
// run it freely; src/build/write.ts does the writing.

import { buildConfig } from "../../build.config";
import { dashboards as platformDashboards } from "../../dashboards";
import { ruleGroups as platformRuleGroups } from "../../alerts";
import { allMetrics } from "../../catalogue/metrics";
import { folders } from "../../dashboards/folders";
import type { Manifest, ManifestFolder } from "../grafana/manifest";
import { compileDashboard, type DashboardJson } from "../compile/dashboard";
import { compileConfigMap, compileKustomization, dashboardJsonText } from "../compile/kubernetes";
import { compileGrafanaAlertGroups } from "../compile/grafana-alerts";
import { compilePrometheusRules } from "../compile/prometheus-rules";
import { folderChain, type DashboardDef, type FolderDef } from "../kit/dashboard";
import { rulesForDeployment, type RuleGroupDef } from "../kit/alert";
import { checkDeployment, noteUndeployedSources } from "../kit/deployment";
import type { AnyMetric } from "../kit/metric";
import { validateDashboard, validateDashboardSet } from "../validate/dashboard";
import type { BuildConfig } from "./config";
import { BuildError, type OutputFile, type Problem } from "./output";

export interface BuildInput {
  readonly dashboards: readonly DashboardDef[];
  readonly ruleGroups: readonly RuleGroupDef[];
  /** The metric catalogue: which source each metric comes from. */
  readonly metrics: readonly AnyMetric[];
  /** Where Grafana-managed alert rule groups go. */
  readonly alertFolder: FolderDef;
  readonly config: BuildConfig;
}

export interface BuildResult {
  readonly files: readonly OutputFile[];
  readonly counts: { readonly dashboards: number; readonly panels: number; readonly alerts: number; readonly recordings: number };
}

/** The platform's own definitions and settings. */
export const platformInput: BuildInput = {
  dashboards: platformDashboards,
  ruleGroups: platformRuleGroups,
  metrics: allMetrics,
  alertFolder: folders.alerts,
  config: buildConfig,
};

const GRAFANA_ALERTS_DIR = "grafana/alert-rules/";

/** What npm run push reads: folders (parents first), dashboards and alert groups with their folder. */
function manifest(input: BuildInput, alertFiles: readonly OutputFile[]): OutputFile {
  const used = new Map<string, ManifestFolder>();
  const usedFolders = [...input.dashboards.map((d) => d.folder), ...(alertFiles.length ? [input.alertFolder] : [])];
  for (const folder of usedFolders.flatMap(folderChain)) {
    used.set(folder.uid, folder.parent ? { uid: folder.uid, title: folder.title, parentUid: folder.parent.uid } : { uid: folder.uid, title: folder.title });
  }
  const content: Manifest = {
    folders: [...used.values()],
    dashboards: input.dashboards.map((def) => ({ uid: def.uid, title: def.title, folderUid: def.folder.uid, file: `dashboards/${def.uid}.json` })),
    alertRuleGroups: alertFiles.map((file) => ({
      name: file.path.slice(GRAFANA_ALERTS_DIR.length, -".json".length),
      folderUid: input.alertFolder.uid,
      file: file.path,
    })),
  };
  return { path: "manifest.json", content: JSON.stringify(content, null, 2) + "\n" };
}

export function generateOutputs(input: BuildInput = platformInput): BuildResult {
  const deployed = input.config.deployedSources;
  const problems: Problem[] = checkDeployment(input.metrics, deployed, input.ruleGroups).map((message) => ({ location: ["build.config.ts"], message }));
  const files: OutputFile[] = [];
  const ruleGroups = rulesForDeployment(input.ruleGroups, deployed);

  const compiled: DashboardJson[] = [];
  for (const def of input.dashboards.map((d) => noteUndeployedSources(d, input.metrics, deployed))) {
    const json = compileDashboard(def);
    compiled.push(json);
    problems.push(...validateDashboard(json));
    files.push({ path: `dashboards/${def.uid}.json`, content: dashboardJsonText(json) });
    const configMap = compileConfigMap(def, json, input.config);
    problems.push(...configMap.problems);
    files.push(configMap.file);
  }
  problems.push(...validateDashboardSet(compiled));

  const rules = compilePrometheusRules(ruleGroups, {
    namespace: input.config.namespace,
    labels: input.config.ruleLabels,
    grafanaUrl: input.config.grafanaUrl,
  });
  problems.push(...rules.problems);
  files.push(...rules.files);

  const grafanaAlerts = compileGrafanaAlertGroups(ruleGroups, {
    datasourceUid: input.config.grafanaAlertDatasourceUid,
    folderUid: input.alertFolder.uid,
  });
  problems.push(...grafanaAlerts.problems);
  files.push(...grafanaAlerts.files);

  if (problems.length) throw new BuildError(problems);

  files.push(compileKustomization(files), manifest(input, grafanaAlerts.files));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    counts: {
      dashboards: compiled.length,
      panels: compiled.reduce((n, d) => n + d.panels.length, 0),
      alerts: ruleGroups.reduce((n, g) => n + g.alerts.length, 0),
      recordings: input.ruleGroups.reduce((n, g) => n + (g.recordings?.length ?? 0), 0),
    },
  };
}
