// Inhibition definitions → Alertmanager configuration: a plain `inhibit_rules:` fragment for
// alertmanager.yml (out/alertmanager/inhibit-rules.yaml) and an AlertmanagerConfig resource for
// the Prometheus operator (out/k8s/alertmanagerconfig-inhibitions.yaml). Each rule carries its
// reason as a comment.

import { Document, isSeq } from "yaml";
import type { AnyAlert } from "../kit/alert";
import type { InhibitionDef } from "../kit/inhibition";
import type { Finding } from "../model/finding";
import type { OutputFile } from "../model/output";

export const INHIBIT_RULES_PATH = "alertmanager/inhibit-rules.yaml";
export const ALERTMANAGER_CONFIG_PATH = "k8s/alertmanagerconfig-inhibitions.yaml";

export interface InhibitionOptions {
  readonly namespace: string;
  /** Labels of the AlertmanagerConfig; the Alertmanager's alertmanagerConfigSelector matches on them. */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Cluster mode (build.config.ts `clusterLabel`): every alert names its cluster, and a cause
   * inhibits only its consequences in the same cluster, never another cluster's alerts.
   */
  readonly clusterLabel?: string;
}

const names = (alerts: readonly AnyAlert[]) => alerts.map((a) => a.name).join("|");

function problemsOf(defs: readonly InhibitionDef[]): Finding[] {
  return defs.flatMap((d) => {
    const at = ["inhibitions", d.source.name];
    const problems: Finding[] = [];
    if (d.targets.length === 0) problems.push({ location: at, message: "inhibits nothing: give it targets" });
    if (d.targets.includes(d.source)) problems.push({ location: at, message: "inhibits itself" });
    const seen = new Set<string>();
    for (const t of d.targets) {
      if (seen.has(t.name)) problems.push({ location: at, message: `lists ${t.name} twice` });
      seen.add(t.name);
    }
    if (!d.reason.trim()) problems.push({ location: at, message: "needs a reason" });
    return problems;
  });
}

/** YAML with the generated-file header and each rule's reason above it. */
function commentedYaml(document: object, rulesPath: readonly string[], defs: readonly InhibitionDef[]): string {
  const doc = new Document(document);
  const rules = doc.getIn(rulesPath, true);
  if (isSeq(rules)) rules.items.forEach((item, i) => {
    if (item && typeof item === "object") (item as { commentBefore?: string }).commentBefore = ` ${defs[i]!.reason}`;
  });
  const header = "# Generated from alerts/inhibitions.ts by `npm run build`. Do not edit: change the definitions.\n";
  return header + doc.toString({ lineWidth: 0, indent: 2 });
}

/** `resource`: the AlertmanagerConfig, for validation against its CRD schema (src/validate/prometheus-rule.ts). */
export function compileInhibitions(defs: readonly InhibitionDef[], options: InhibitionOptions): { files: OutputFile[]; problems: Finding[]; resource?: { file: string; object: unknown } } {
  const problems = problemsOf(defs);
  if (problems.length || defs.length === 0) return { files: [], problems };

  const equal = (d: InhibitionDef) => (options.clusterLabel && !d.equal.includes(options.clusterLabel) ? [...d.equal, options.clusterLabel] : [...d.equal]);
  const plain = {
    inhibit_rules: defs.map((d) => ({
      source_matchers: [`alertname="${d.source.name}"`],
      target_matchers: [`alertname=~"${names(d.targets)}"`],
      ...(equal(d).length ? { equal: equal(d) } : {}),
    })),
  };
  const resource = {
    apiVersion: "monitoring.coreos.com/v1alpha1" as const,
    kind: "AlertmanagerConfig" as const,
    metadata: { name: "254carbon-inhibitions", namespace: options.namespace, labels: { ...options.labels } },
    spec: {
      inhibitRules: defs.map((d) => ({
        sourceMatch: [{ name: "alertname", value: d.source.name, matchType: "=" as const }],
        targetMatch: [{ name: "alertname", value: names(d.targets), matchType: "=~" as const }],
        ...(equal(d).length ? { equal: equal(d) } : {}),
      })),
    },
  };
  return {
    resource: { file: ALERTMANAGER_CONFIG_PATH, object: resource },
    files: [
      { path: INHIBIT_RULES_PATH, content: commentedYaml(plain, ["inhibit_rules"], defs) },
      { path: ALERTMANAGER_CONFIG_PATH, content: commentedYaml(resource, ["spec", "inhibitRules"], defs) },
    ],
    problems,
  };
}
