// The whole build in memory: definitions in, every output file out, or a BuildError that
// lists every problem. Nothing here touches the disk, so tests and the staleness check can
// run it freely; src/build/write.ts does the writing.

import { buildConfig } from "../../build.config";
import { dashboards as platformDashboards } from "../../dashboards";
import { ruleGroups as platformRuleGroups } from "../../alerts";
import { folders } from "../../dashboards/folders";
import type { Manifest, ManifestFolder } from "../grafana/manifest";
import { compileDashboard, type DashboardJson } from "../compile/dashboard";
import { compileConfigMap, compileKustomization, dashboardJsonText } from "../compile/kubernetes";
import { compileGrafanaAlertGroups } from "../compile/grafana-alerts";
import { compilePrometheusRules } from "../compile/prometheus-rules";
import { folderChain, type DashboardDef, type FolderDef } from "../kit/dashboard";
import type { RuleGroupDef } from "../kit/alert";
import { validateDashboard, validateDashboardSet } from "../validate/dashboard";
import { applyExclusions, defaultOptions, lintDashboard, lintRuleGroups, loadConfig, readRuleGroups, type LintConfig } from "../lint/index";
import { recordedNames } from "../lint/rules-file";
import type { Finding } from "../model/finding";
import { isError } from "../model/finding";
import type { BuildConfig } from "./config";
import { BuildError, type OutputFile } from "./output";

export interface BuildInput {
  readonly dashboards: readonly DashboardDef[];
  readonly ruleGroups: readonly RuleGroupDef[];
  /** Where Grafana-managed alert rule groups go. */
  readonly alertFolder: FolderDef;
  readonly config: BuildConfig;
  /** Exclusions and scrape interval for the lint run over the output. */
  readonly lint: LintConfig;
}

export interface BuildResult {
  readonly files: readonly OutputFile[];
  readonly counts: { readonly dashboards: number; readonly panels: number; readonly alerts: number; readonly recordings: number };
}

/** The platform's own definitions and settings. */
export const platformInput: BuildInput = {
  dashboards: platformDashboards,
  ruleGroups: platformRuleGroups,
  alertFolder: folders.alerts,
  config: buildConfig,
  lint: loadConfig(new URL("../../lint.config.yaml", import.meta.url).pathname, false),
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
  const problems: Finding[] = [];
  const files: OutputFile[] = [];

  const compiled: DashboardJson[] = [];
  for (const def of input.dashboards) {
    const json = compileDashboard(def);
    compiled.push(json);
    problems.push(...validateDashboard(json));
    files.push({ path: `dashboards/${def.uid}.json`, content: dashboardJsonText(json) });
    const configMap = compileConfigMap(def, json, input.config);
    problems.push(...configMap.problems);
    files.push(configMap.file);
  }
  problems.push(...validateDashboardSet(compiled));

  const rules = compilePrometheusRules(input.ruleGroups, {
    namespace: input.config.namespace,
    labels: input.config.ruleLabels,
    grafanaUrl: input.config.grafanaUrl,
  });
  problems.push(...rules.problems);
  files.push(...rules.files);

  const grafanaAlerts = compileGrafanaAlertGroups(input.ruleGroups, {
    datasourceUid: input.config.grafanaAlertDatasourceUid,
    folderUid: input.alertFolder.uid,
  });
  problems.push(...grafanaAlerts.problems);
  files.push(...grafanaAlerts.files);

  problems.push(...lintOutput(compiled, rules.files, input.lint));
  if (problems.length) throw new BuildError(problems);

  files.push(compileKustomization(files), manifest(input, grafanaAlerts.files));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    counts: {
      dashboards: compiled.length,
      panels: compiled.reduce((n, d) => n + d.panels.length, 0),
      alerts: input.ruleGroups.reduce((n, g) => n + g.alerts.length, 0),
      recordings: input.ruleGroups.reduce((n, g) => n + (g.recordings?.length ?? 0), 0),
    },
  };
}

/**
 * The build's own output through the linter's registry, with the own profile and the repository's
 * exclusions: every house rule applies, and an error fails the build as any other problem does.
 */
function lintOutput(dashboards: readonly DashboardJson[], ruleFiles: readonly OutputFile[], config: LintConfig): Finding[] {
  const plainRuleFiles = ruleFiles.filter((f) => f.path.startsWith("prometheus/"));
  const sources = plainRuleFiles.map((f) => ({ path: `out/${f.path}`, groups: readRuleGroups(f.content, true) }));
  const options = defaultOptions({ scrapeIntervalMs: config.scrapeIntervalMs, recordedNames: new Set(sources.flatMap((s) => recordedNames(s.groups))) });
  const findings = [
    ...dashboards.flatMap((d) => lintDashboard(d, { file: `out/dashboards/${d.uid}.json`, profile: "own" }, options)),
    ...sources.flatMap((s) => lintRuleGroups(s.groups, s.path, "own", options)),
  ];
  return applyExclusions(findings, config.exclusions).filter(isError);
}
