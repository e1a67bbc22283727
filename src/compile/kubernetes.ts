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

/** Deterministic YAML: keys in insertion order; lineWidth 0 never folds long PromQL or JSON. */
export const YAML_OPTIONS = { lineWidth: 0, indent: 2, sortMapEntries: false } as const;

/**
 * Deterministic YAML (YAML_OPTIONS), headed by a comment naming the definitions it comes from.
 * The yaml library spent most of a dashboard ConfigMap's time choosing how to write the embedded
 * dashboard JSON; for a map value of that shape its choice is always a plain literal block, which
 * is written here directly (test/build/yaml.test.ts checks that the two agree). Anything else, or
 * any doubt, is left to the library.
 */
export function toYaml(document: unknown, source: string): string {
  const header = `# Generated from ${source} by \`npm run build\`. Do not edit: change the definitions.\n`;
  const blocks: string[] = [];
  const deferred = deferBlocks(document, blocks);
  return header + ((blocks.length && withBlocks(stringify(deferred, YAML_OPTIONS), blocks)) || stringify(document, YAML_OPTIONS));
}

/** What makes the yaml library double-quote a string (its own test). */
const QUOTED = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;

/**
 * A string the library writes as `|` and its lines: several lines, not starting with a space or a
 * newline (no indentation indicator), ending in exactly one newline after a non-blank character
 * (no chomping indicator), nothing it must quote.
 */
const isPlainBlock = (value: string): boolean => /[^\n\t ]\n$/.test(value) && !/^[ \n]/.test(value) && !QUOTED.test(value);

const placeholder = (index: number) => `yaml-block-${index}-of-254carbon-build`;

/** A copy of `node` with such strings, at any depth of plain maps, replaced by placeholders (in `blocks`' order). */
function deferBlocks(node: unknown, blocks: string[]): unknown {
  if (typeof node !== "object" || node === null) return node;
  const proto: unknown = Object.getPrototypeOf(node);
  if (proto !== Object.prototype && proto !== null) return node; // arrays and anything else: the library's
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const simpleKey = key.length < 1024 && !key.includes("\n");
    if (simpleKey && typeof value === "string" && isPlainBlock(value)) {
      copy[key] = placeholder(blocks.length);
      blocks.push(value);
    } else copy[key] = simpleKey ? deferBlocks(value, blocks) : value;
  }
  return copy;
}

/** `text` with each placeholder written as the library writes its block, or undefined when in doubt. */
function withBlocks(text: string, blocks: readonly string[]): string | undefined {
  let out = "";
  let from = 0;
  for (const [index, block] of blocks.entries()) {
    const marker = `: ${placeholder(index)}\n`;
    const at = text.indexOf(marker, from);
    if (at < 0 || text.includes(placeholder(index), at + marker.length)) return undefined;
    const lineStart = text.lastIndexOf("\n", at) + 1;
    const keyIndent = /^ */.exec(text.slice(lineStart, at))![0].length;
    if (/^[?:-]/.test(text.slice(lineStart + keyIndent, at))) return undefined; // not a plain `key: value` line
    const indent = " ".repeat(keyIndent + 2);
    out += `${text.slice(from, at)}: |\n${indent}${block.slice(0, -1).replace(/\n+/g, `$&${indent}`)}\n`;
    from = at + marker.length;
  }
  return out + text.slice(from);
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
  if (jsonSizeBound(object) < LAST_APPLIED_LIMIT_BYTES) return []; // surely small enough: no need to serialize it
  const size = Buffer.byteLength(JSON.stringify(object));
  return size >= LAST_APPLIED_LIMIT_BYTES
    ? [{ location, message: `${kind} is ${size} bytes; kubectl apply can store at most ${LAST_APPLIED_LIMIT_BYTES} (split the dashboard)` }]
    : [];
}

/**
 * At least the UTF-8 size of JSON.stringify(value) for plain data: a string character takes at
 * most 6 bytes (`\uXXXX`; a character beyond U+FFFF is two of them for 4 bytes), any other value
 * at most its text plus 4 (`null` for NaN).
 */
export function jsonSizeBound(value: unknown): number {
  if (typeof value === "object" && value !== null && "toJSON" in value) return Infinity; // written as it chooses
  if (typeof value === "string") return 6 * value.length + 2;
  if (Array.isArray(value)) return value.reduce((size: number, item: unknown) => size + jsonSizeBound(item) + 1, 2);
  if (typeof value === "object" && value !== null) return Object.entries(value).reduce((size, [k, v]) => size + jsonSizeBound(k) + jsonSizeBound(v) + 2, 2);
  return String(value).length + 4;
}

export function dashboardJsonText(dashboard: DashboardJson): string {
  return JSON.stringify(dashboard, null, 2) + "\n";
}

/** `text`: the dashboard's JSON text (dashboardJsonText). */
export function compileConfigMap(def: DashboardDef, text: string, config: BuildConfig): { file: OutputFile; problems: Finding[] } {
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: `grafana-dashboard-${kubernetesName(def.uid)}`,
      namespace: config.namespace,
      labels: { [config.dashboardLabel.name]: config.dashboardLabel.value, "app.kubernetes.io/managed-by": "254carbon-observability" },
      annotations: { [config.folderAnnotation]: folderPath(def.folder) },
    },
    data: { [`${def.uid}.json`]: text },
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
