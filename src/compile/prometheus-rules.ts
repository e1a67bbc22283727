// Compiles rule groups to Prometheus rule files and prometheus-operator PrometheusRule resources.
// Pure: definitions in, files and problems out; the build decides what to write and when to fail.

import {
  dashboardUrlFor,
  defaultGrafanaUrl,
  renderDescription,
  type AnyAlert,
  type AnyRecording,
  type RuleGroupDef,
} from "../kit/alert";
import { ruleContext } from "../kit/promql";
import type { Compiled, OutputFile } from "../model/output";
import type { Finding } from "../model/finding";
import { toYaml } from "./kubernetes";
import { parseDuration } from "../model/duration";

export interface PrometheusRuleOptions {
  /** Namespace of the PrometheusRule resources. */
  readonly namespace: string;
  /** Labels of the resources; the Prometheus `ruleSelector` matches on them. */
  readonly labels: Readonly<Record<string, string>>;
  /** Base URL of Grafana, for the `dashboard_url` annotation. */
  readonly grafanaUrl: string;
  /** Cluster mode (build.config.ts `clusterLabel`): every rule aggregates by this label. */
  readonly clusterLabel?: string;
}

export const defaultPrometheusRuleOptions: PrometheusRuleOptions = {
  namespace: "monitoring",
  // kube-prometheus-stack's default ruleSelector is `release: <helm release name>`.
  labels: { release: "kube-prometheus-stack" },
  grafanaUrl: defaultGrafanaUrl,
};


// What the linter checks on the written rule files (src/lint/rules: names, severity, summary,
// durations, labels, group size) the build checks there; here only what the output cannot show.
const groupNamePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const recordNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_]+$/;

/** A rule as it appears in a rule file; key order here is the order in the YAML. */
interface RuleYaml {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface GroupYaml {
  name: string;
  interval?: string;
  rules: RuleYaml[];
}

export function compilePrometheusRules(
  groups: readonly RuleGroupDef[],
  options: PrometheusRuleOptions = defaultPrometheusRuleOptions,
): Compiled & { readonly resources: { readonly file: string; readonly object: unknown }[] } {
  const files: OutputFile[] = [];
  /** The PrometheusRule objects, for validation against the CRD schema (src/validate/prometheus-rule.ts). */
  const resources: { file: string; object: unknown }[] = [];
  const problems: Finding[] = [...checkUniqueness(groups)];

  for (const group of groups) {
    const groupProblems = checkGroup(group);
    const compiled = compileGroup(group, options, groupProblems);
    problems.push(...groupProblems);
    if (!compiled) continue;

    const resource = {
      apiVersion: "monitoring.coreos.com/v1" as const,
      kind: "PrometheusRule" as const,
      metadata: { name: `254carbon-${group.name}`, namespace: options.namespace, labels: sortedRecord(options.labels) },
      spec: { groups: [compiled] },
    };
    const resourceFile = `k8s/prometheusrule-${group.name}.yaml`;
    resources.push({ file: resourceFile, object: resource });

    files.push({ path: rulesFile(group), content: toRulesYaml({ groups: [compiled] }) });
    files.push({ path: resourceFile, content: toRulesYaml(resource) });
  }
  return { files, problems, resources };
}

export const rulesFile = (group: RuleGroupDef): string => `prometheus/${group.name}.rules.yaml`;

/** The PrometheusRule files among compiled outputs, for the build's kustomization. */
export function prometheusRuleResourcePaths(files: readonly OutputFile[]): string[] {
  return files.filter((f) => f.path.startsWith("k8s/prometheusrule-")).map((f) => f.path);
}

// ---------------------------------------------------------------- rendering

function compileGroup(group: RuleGroupDef, options: PrometheusRuleOptions, problems: Finding[]): GroupYaml | undefined {
  const ctx = ruleContext(group.rateWindow, undefined, options.clusterLabel);
  const rules: RuleYaml[] = [];
  let failed = false;
  const attempt = (name: string, build: () => RuleYaml) => {
    try {
      rules.push(build());
    } catch (error) {
      failed = true;
      problems.push({ file: rulesFile(group), location: [group.name, name], message: `cannot render rule: ${(error as Error).message}` });
    }
  };

  for (const rec of group.recordings ?? []) {
    attempt(rec.record, () => ({
      record: rec.record,
      expr: rec.expr.render(ctx),
      ...optionalLabels({ ...group.labels, ...rec.labels }),
    }));
  }
  for (const def of group.alerts) {
    attempt(def.name, () => ({
      alert: def.name,
      expr: def.expr.render(ctx),
      for: def.for,
      ...(def.keepFiringFor ? { keep_firing_for: def.keepFiringFor } : {}),
      labels: sortedRecord({ ...group.labels, ...def.labels, severity: def.severity }),
      annotations: {
        summary: def.summary,
        description: renderDescription(def, options.clusterLabel).text,
        runbook_url: def.runbookUrl,
        dashboard_url: dashboardUrlFor(def.panel, options.grafanaUrl),
      },
    }));
  }
  if (failed) return undefined;
  return { name: group.name, ...(group.interval ? { interval: group.interval } : {}), rules };
}

function optionalLabels(labels: Record<string, string>): { labels?: Record<string, string> } {
  return Object.keys(labels).length ? { labels: sortedRecord(labels) } : {};
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const toRulesYaml = (document: unknown) => toYaml(document, "alerts/*.ts");

// ---------------------------------------------------------------- checks

function checkUniqueness(groups: readonly RuleGroupDef[]): Finding[] {
  const problems: Finding[] = [];
  const seen = (kind: string, keyOf: (g: RuleGroupDef) => string[]) => {
    const where = new Map<string, string>();
    for (const group of groups) {
      for (const key of keyOf(group)) {
        const first = where.get(key);
        if (first !== undefined) problems.push({ file: rulesFile(group), location: [group.name, key], message: `duplicate ${kind} name (first defined in group "${first}")` });
        else where.set(key, group.name);
      }
    }
  };
  seen("group", (g) => [g.name]);
  seen("alert", (g) => g.alerts.map((a) => a.name));
  seen("recording rule", (g) => (g.recordings ?? []).map((r) => r.record));
  return problems;
}

function checkGroup(group: RuleGroupDef): Finding[] {
  const problems: Finding[] = [];
  const at = (message: string, rule?: string) => problems.push({ file: rulesFile(group), location: rule ? [group.name, rule] : [group.name], message });
  if (!groupNamePattern.test(group.name)) at("group name must be lower-case kebab-case (it names files and resources)");
  if (parseDuration(group.rateWindow) === undefined) at(`rateWindow "${group.rateWindow}" is not a Prometheus duration`);
  for (const rec of group.recordings ?? []) {
    if (!recordNamePattern.test(rec.record)) at(`recording rule name "${rec.record}" must follow level:metric:operations`, rec.record);
    const window = /:.*rate(\d+[smhdwy])$/.exec(rec.record)?.[1];
    if (window !== undefined && window !== group.rateWindow) at(`recording rule name says rate${window} but the group renders rate() over ${group.rateWindow}`, rec.record);
  }
  for (const def of group.alerts) {
    try {
      if (renderDescription(def).text.trim() === "") at("description is empty", def.name);
    } catch (error) {
      at(`description cannot be rendered: ${(error as Error).message}`, def.name);
    }
    if (def.labels && "severity" in def.labels) at("set severity through the severity field, not labels", def.name);
    if (!Number.isInteger(def.panel.panelId) || def.panel.panelId < 1) at(`panel id ${def.panel.panelId} must be a positive integer`, def.name);
    if (def.threshold && !Number.isFinite(def.threshold.value)) at("threshold value must be a finite number", def.name);
  }
  return problems;
}
