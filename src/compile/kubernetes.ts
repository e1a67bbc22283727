// Kubernetes resources around the dashboards: sidecar ConfigMaps and the kustomization
// that lets `kubectl apply -k out/k8s` deploy everything the build generates.

import { stringify } from "yaml";
import type { BuildConfig } from "../model/config";
import type { OutputFile, Problem } from "../model/output";
import { folderPath, type DashboardDef } from "../kit/dashboard";
import type { DashboardJson } from "../model/dashboard";

/** Client-side `kubectl apply` stores the whole object in an annotation limited to 256 KiB. */
export const LAST_APPLIED_LIMIT_BYTES = 256 * 1024;

/**
 * Deterministic YAML (keys in insertion order; lineWidth 0 never folds long PromQL or JSON),
 * headed by a comment naming the definitions it comes from.
 */
export function toYaml(document: unknown, source: string): string {
  const header = `# Generated from ${source} by \`npm run build\`. Do not edit: change the definitions.\n`;
  return header + stringify(document, { lineWidth: 0, indent: 2, sortMapEntries: false });
}

export function dashboardJsonText(dashboard: DashboardJson): string {
  return JSON.stringify(dashboard, null, 2) + "\n";
}

export function compileConfigMap(def: DashboardDef, dashboard: DashboardJson, config: BuildConfig): { file: OutputFile; problems: Problem[] } {
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: `grafana-dashboard-${def.uid.toLowerCase().replace(/_/g, "-")}`,
      namespace: config.namespace,
      labels: { [config.dashboardLabel.name]: config.dashboardLabel.value, "app.kubernetes.io/managed-by": "254carbon-observability" },
      annotations: { [config.folderAnnotation]: folderPath(def.folder) },
    },
    data: { [`${def.uid}.json`]: dashboardJsonText(dashboard) },
  };
  const size = Buffer.byteLength(JSON.stringify(configMap));
  const problems: Problem[] =
    size >= LAST_APPLIED_LIMIT_BYTES
      ? [{ location: [def.uid], message: `ConfigMap is ${size} bytes; kubectl apply can store at most ${LAST_APPLIED_LIMIT_BYTES} (split the dashboard)` }]
      : [];
  return { file: { path: `k8s/dashboard-${def.uid}.configmap.yaml`, content: toYaml(configMap, "dashboards/*.ts") }, problems };
}

/** Lists every generated resource under k8s/, sorted, so the file only changes when they do. */
export function compileKustomization(files: readonly OutputFile[]): OutputFile {
  const resources = files
    .filter((f) => f.path.startsWith("k8s/"))
    .map((f) => f.path.slice("k8s/".length))
    .sort();
  const kustomization = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources };
  return { path: "k8s/kustomization.yaml", content: toYaml(kustomization, "dashboards/*.ts and alerts/*.ts") };
}
