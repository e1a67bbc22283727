// Kubernetes resources around the dashboards: sidecar ConfigMaps and the kustomization
// that lets `kubectl apply -k out/k8s` deploy everything the build generates.

import { stringify } from "yaml";
import type { BuildConfig } from "../model/config";
import type { OutputFile } from "../model/output";
import type { Finding } from "../model/finding";
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

/**
 * A Kubernetes object name (DNS-1123 subdomain) for a uid or group name: lowercase, runs of other
 * characters as "-". Dashboard uids (`[a-zA-Z0-9_-]`) only change case and "_".
 */
export function kubernetesName(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
}

/** The object's size against what client-side `kubectl apply` can store, as a problem at `location`. */
export function lastAppliedProblems(location: readonly string[], kind: string, object: unknown): Finding[] {
  const size = Buffer.byteLength(JSON.stringify(object));
  return size >= LAST_APPLIED_LIMIT_BYTES
    ? [{ location, message: `${kind} is ${size} bytes; kubectl apply can store at most ${LAST_APPLIED_LIMIT_BYTES} (split the dashboard)` }]
    : [];
}

export function dashboardJsonText(dashboard: DashboardJson): string {
  return JSON.stringify(dashboard, null, 2) + "\n";
}

export function compileConfigMap(def: DashboardDef, dashboard: DashboardJson, config: BuildConfig): { file: OutputFile; problems: Finding[] } {
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: `grafana-dashboard-${kubernetesName(def.uid)}`,
      namespace: config.namespace,
      labels: { [config.dashboardLabel.name]: config.dashboardLabel.value, "app.kubernetes.io/managed-by": "254carbon-observability" },
      annotations: { [config.folderAnnotation]: folderPath(def.folder) },
    },
    data: { [`${def.uid}.json`]: dashboardJsonText(dashboard) },
  };
  const problems = lastAppliedProblems([def.uid], "ConfigMap", configMap);
  return { file: { path: `k8s/dashboard-${def.uid}.configmap.yaml`, content: toYaml(configMap, "dashboards/*.ts") }, problems };
}

/** Lists every generated resource under `dir` (e.g. "k8s"), sorted, so the file only changes when they do. */
export function compileKustomization(files: readonly OutputFile[], dir: string): OutputFile {
  const prefix = `${dir}/`;
  const resources = files
    .filter((f) => f.path.startsWith(prefix))
    .map((f) => f.path.slice(prefix.length))
    .sort();
  const kustomization = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources };
  return { path: `${prefix}kustomization.yaml`, content: toYaml(kustomization, "dashboards/*.ts and alerts/*.ts") };
}
