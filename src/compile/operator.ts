// grafana-operator resources (grafana.integreatly.org/v1beta1) under out/operator: a GrafanaFolder
// per folder (parents by parentFolderRef), a GrafanaDashboard per dashboard (JSON inline or in a
// ConfigMap, folderRef), a GrafanaAlertRuleGroup per Grafana-managed rule group (the same compiled
// rules as out/grafana/alert-rules), and their own kustomization. Field meanings: the operator's
// api/v1beta1/*_types.go, summarised in grafana-resources.md §3.

import type { IGrafanaAlertRuleGroup, IGrafanaDashboard, IGrafanaFolder } from "@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1";
import type { OperatorConfig } from "../model/config";
import type { OutputFile } from "../model/output";
import type { Finding } from "../model/finding";
import { folderChain, type DashboardDef, type FolderDef } from "../kit/dashboard";
import type { GrafanaRule, GrafanaRuleGroup } from "./grafana-alerts";
import { compileKustomization, kubernetesName, lastAppliedProblems, toYaml } from "./kubernetes";

export const OPERATOR_DIR = "operator";
const API_VERSION = "grafana.integreatly.org/v1beta1";
const MANAGED_BY = { "app.kubernetes.io/managed-by": "254carbon-observability" };

export interface OperatorInput {
  /** Each dashboard with its JSON text (dashboardJsonText), serialized once per build. */
  readonly dashboards: readonly { readonly def: DashboardDef; readonly text: string }[];
  /** Grafana-managed rule groups and their folder; empty when that output is off. */
  readonly ruleGroups: readonly GrafanaRuleGroup[];
  readonly alertFolder: FolderDef;
  readonly namespace: string;
  readonly config: OperatorConfig;
}

/** A compiled operator resource, kept as an object so the build can validate it before writing. */
export interface OperatorObject {
  readonly file: string;
  readonly object: unknown;
}

function ruleForOperator(rule: GrafanaRule): IGrafanaAlertRuleGroup["spec"]["rules"][number] {
  // The operator takes the group's folder and name from the spec, and spells keep_firing_for in camelCase.
  const { folderUID: _folder, ruleGroup: _group, keep_firing_for: keepFiringFor, data, labels, annotations, ...rest } = rule;
  return {
    ...rest,
    data: data.map((query) => ({ ...query, relativeTimeRange: { ...query.relativeTimeRange } })),
    labels: { ...labels },
    annotations: { ...annotations },
    ...(keepFiringFor ? { keepFiringFor } : {}),
  };
}

export function compileOperator(input: OperatorInput): { objects: OperatorObject[]; files: OutputFile[]; problems: Finding[] } {
  const problems: Finding[] = [];
  const objects: OperatorObject[] = [];
  const common = { instanceSelector: { matchLabels: { ...input.config.instanceSelector.matchLabels } }, resyncPeriod: input.config.resyncPeriod };
  const names = new Map<string, string>();
  /** The object name for `id`, refusing two ids that map to one name. */
  const nameFor = (kind: string, id: string): string => {
    const name = kubernetesName(id);
    const key = `${kind}/${name}`;
    const other = names.get(key);
    if (other !== undefined && other !== id) problems.push({ location: [id], message: `${kind} name "${name}" is also ${other}'s` });
    names.set(key, id);
    return name;
  };
  const metadata = (name: string) => ({ name, namespace: input.namespace, labels: { ...MANAGED_BY } });

  const folders = new Map<string, FolderDef>();
  const usedFolders = [...input.dashboards.map((d) => d.def.folder), ...(input.ruleGroups.length ? [input.alertFolder] : [])];
  for (const folder of usedFolders.flatMap(folderChain)) folders.set(folder.uid, folder);
  for (const folder of folders.values()) {
    const name = nameFor("GrafanaFolder", folder.uid);
    const object: IGrafanaFolder = {
      apiVersion: API_VERSION,
      kind: "GrafanaFolder",
      metadata: metadata(name),
      spec: { ...common, uid: folder.uid, title: folder.title, ...(folder.parent ? { parentFolderRef: kubernetesName(folder.parent.uid) } : {}) },
    };
    objects.push({ file: `folder-${name}.yaml`, object });
  }

  for (const { def, text } of input.dashboards) {
    const name = nameFor("GrafanaDashboard", def.uid);
    let source: Pick<IGrafanaDashboard["spec"], "json" | "configMapRef">;
    if (input.config.dashboardSource === "json") {
      source = { json: text };
    } else {
      const configMapName = `operator-dashboard-${name}`;
      const key = `${def.uid}.json`;
      const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: metadata(configMapName), data: { [key]: text } };
      problems.push(...lastAppliedProblems([def.uid], "operator ConfigMap", configMap));
      objects.push({ file: `dashboard-${name}.configmap.yaml`, object: configMap });
      source = { configMapRef: { name: configMapName, key } };
    }
    const object: IGrafanaDashboard = {
      apiVersion: API_VERSION,
      kind: "GrafanaDashboard",
      metadata: metadata(name),
      spec: { ...common, uid: def.uid, folderRef: kubernetesName(def.folder.uid), ...source },
    };
    problems.push(...lastAppliedProblems([def.uid], "GrafanaDashboard", object));
    objects.push({ file: `dashboard-${name}.yaml`, object });
  }

  for (const group of input.ruleGroups) {
    const name = nameFor("GrafanaAlertRuleGroup", group.name);
    const object: IGrafanaAlertRuleGroup = {
      apiVersion: API_VERSION,
      kind: "GrafanaAlertRuleGroup",
      metadata: metadata(name),
      spec: { ...common, name: group.name, folderRef: kubernetesName(input.alertFolder.uid), interval: group.interval, rules: group.rules.map(ruleForOperator) },
    };
    objects.push({ file: `alertrulegroup-${name}.yaml`, object });
  }

  const files = objects.map(({ file, object }) => ({ path: `${OPERATOR_DIR}/${file}`, content: toYaml(object, "dashboards/*.ts and alerts/*.ts") }));
  files.push(compileKustomization(files, OPERATOR_DIR));
  return { objects, files, problems };
}
