// The whole build in memory: definitions in (passed by the caller, scripts/platform.ts for the
// platform's own), every output file out, or a BuildError that lists every problem. Nothing here
// touches the disk, so tests and the staleness check can run it freely; write.ts does the writing.

import type { Manifest, ManifestFolder } from "../model/manifest";
import { compileDashboard } from "../compile/dashboard";
import type { DashboardJson } from "../model/dashboard";
import { compileConfigMap, compileKustomization, dashboardJsonText } from "../compile/kubernetes";
import { compileGrafanaAlertGroups } from "../compile/grafana-alerts";
import { compileOperator, OPERATOR_DIR } from "../compile/operator";
import { compileResources } from "../compile/resources";
import { compilePrometheusRules } from "../compile/prometheus-rules";
import { folderChain, type DashboardDef, type FolderDef } from "../kit/dashboard";
import { rulesForDeployment, type RuleGroupDef } from "../kit/alert";
import { checkDeployment, dashboardsForDeployment } from "../kit/deployment";
import { inhibitionsForDeployment, type InhibitionDef } from "../kit/inhibition";
import { compileInhibitions } from "../compile/inhibitions";
import { validateDashboard, validateDashboardSet } from "../validate/dashboard";
import { grafanaVersionProblems } from "../validate/grafana-version";
import { validateOperatorObject } from "../validate/operator";
import { validateAlertmanagerConfig, validatePrometheusRule } from "../validate/prometheus-rule";
import type { BuildConfig, OutputSelection } from "../model/config";
import type { AnyMetric } from "../model/metric";
import type { LintConfig } from "../lint/index";
import { inlineOutputLinter, type OutputLinter } from "./lint-output";
import { BuildError, type OutputFile } from "../model/output";
import type { Finding } from "../model/finding";

export interface BuildInput {
  readonly dashboards: readonly DashboardDef[];
  readonly ruleGroups: readonly RuleGroupDef[];
  /** Alertmanager inhibitions between those alerts. */
  readonly inhibitions: readonly InhibitionDef[];
  /** Where Grafana-managed alert rule groups go. */
  readonly alertFolder: FolderDef;
  readonly config: BuildConfig;
  /** The metric catalogue, for the lint run over the output. */
  readonly catalogue: readonly AnyMetric[];
  /** Exclusions and scrape interval for the lint run over the output (lint.config.yaml). */
  readonly lint: LintConfig;
}

export interface BuildResult {
  readonly files: readonly OutputFile[];
  readonly counts: { readonly dashboards: number; readonly panels: number; readonly alerts: number; readonly recordings: number };
}

const GRAFANA_ALERTS_DIR = "grafana/alert-rules/";

/** Which output each compiled file belongs to, by where it is written. */
const OUTPUT_OF_PATH: readonly [RegExp, keyof OutputSelection][] = [
  [/^k8s\/dashboard-/, "sidecar"],
  [/^k8s\/prometheusrule-/, "prometheusRule"],
  [/^k8s\/alertmanagerconfig-/, "prometheusRule"],
  [/^prometheus\//, "ruleFiles"],
  [/^alertmanager\//, "ruleFiles"],
  [/^grafana\/alert-rules\//, "grafanaAlerts"],
];

function selected(path: string, outputs: OutputSelection): boolean {
  const output = OUTPUT_OF_PATH.find(([pattern]) => pattern.test(path))?.[1];
  return output === undefined || outputs[output];
}

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

/** Every alert's dashboard_url must land on a panel this build generates. */
function alertLinkProblems(ruleGroups: readonly RuleGroupDef[], dashboards: readonly DashboardJson[]): Finding[] {
  const panelIds = new Map(dashboards.map((d) => [d.uid, new Set(d.panels.map((p) => p.id))]));
  return ruleGroups.flatMap((group) =>
    group.alerts
      .filter((alert) => !panelIds.get(alert.panel.dashboardUid)?.has(alert.panel.panelId))
      .map((alert) => ({
        location: [group.name, alert.name],
        message: `links to panel ${alert.panel.panelId} of dashboard "${alert.panel.dashboardUid}", which this build does not generate`,
      })),
  );
}

/** `linter`: where the output is linted (lint-output.ts); in this thread unless given. */
export function generateOutputs(platform: BuildInput, linter: OutputLinter = inlineOutputLinter()): BuildResult {
  const { config } = platform;
  const problems: Finding[] = checkDeployment(platform.catalogue, config.deployedSources, platform.ruleGroups).map((message) => ({
    location: ["build.config.ts"],
    message,
  }));
  const input: BuildInput = {
    ...platform,
    dashboards: dashboardsForDeployment(platform.dashboards, config.deployedSources),
    ruleGroups: rulesForDeployment(platform.ruleGroups, config.deployedSources),
  };
  const files: OutputFile[] = [];
  // Rules first: the dashboards' lint knows their recorded names and runs as each is compiled.
  const rules = compilePrometheusRules(input.ruleGroups, {
    namespace: config.namespace,
    labels: config.ruleLabels,
    grafanaUrl: config.grafanaUrl,
    clusterLabel: config.clusterLabel,
  });
  linter.start({ catalogue: platform.catalogue, lint: platform.lint, ...(config.clusterLabel ? { clusterLabel: config.clusterLabel } : {}) }, rules.files);

  const compiled: { def: DashboardDef; json: DashboardJson; text: string }[] = [];
  for (const def of input.dashboards) {
    const json = compileDashboard(def, config.clusterLabel);
    const text = dashboardJsonText(json);
    compiled.push({ def, json, text });
    linter.add(json, text);
    problems.push(...validateDashboard(json));
    files.push({ path: `dashboards/${def.uid}.json`, content: text });
    const configMap = compileConfigMap(def, text, config);
    if (config.outputs.sidecar) problems.push(...configMap.problems);
    files.push(configMap.file);
  }
  const dashboardJsons = compiled.map((c) => c.json);
  problems.push(
    ...validateDashboardSet(dashboardJsons),
    ...grafanaVersionProblems(dashboardJsons, config),
    ...alertLinkProblems(input.ruleGroups, dashboardJsons),
  );

  problems.push(...rules.problems, ...rules.resources.flatMap(validatePrometheusRule));
  files.push(...rules.files);

  const inhibitions = compileInhibitions(inhibitionsForDeployment(input.inhibitions, config.deployedSources), {
    namespace: config.namespace,
    labels: config.ruleLabels,
    clusterLabel: config.clusterLabel,
  });
  problems.push(...inhibitions.problems, ...(inhibitions.resource ? validateAlertmanagerConfig(inhibitions.resource) : []));
  files.push(...inhibitions.files);

  const grafanaAlerts = compileGrafanaAlertGroups(input.ruleGroups, {
    datasourceUid: config.grafanaAlertDatasourceUid,
    folderUid: input.alertFolder.uid,
    clusterLabel: config.clusterLabel,
  });
  problems.push(...grafanaAlerts.problems);
  files.push(...grafanaAlerts.files);

  if (config.outputs.resources) {
    const resources = compileResources(compiled, config.resourceApiVersion);
    problems.push(...resources.problems);
    files.push(...resources.files);
  }
  if (config.outputs.operator) {
    const operator = compileOperator({
      dashboards: compiled,
      ruleGroups: config.outputs.grafanaAlerts ? grafanaAlerts.groups : [],
      alertFolder: input.alertFolder,
      namespace: config.namespace,
      config: config.operator,
    });
    problems.push(...operator.problems, ...operator.objects.flatMap((o) => validateOperatorObject(`${OPERATOR_DIR}/${o.file}`, o.object)));
    files.push(...operator.files);
  }

  problems.push(...linter.finish());
  if (problems.length) throw new BuildError(problems);

  const written = files.filter((file) => selected(file.path, config.outputs));
  if (written.some((file) => file.path.startsWith("k8s/"))) written.push(compileKustomization(written, "k8s"));
  written.push(manifest(input, config.outputs.grafanaAlerts ? grafanaAlerts.files : []));
  written.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files: written,
    counts: {
      dashboards: compiled.length,
      panels: dashboardJsons.reduce((n, d) => n + d.panels.length, 0),
      alerts: input.ruleGroups.reduce((n, g) => n + g.alerts.length, 0),
      recordings: input.ruleGroups.reduce((n, g) => n + (g.recordings?.length ?? 0), 0),
    },
  };
}
