// Compiles rule groups to Prometheus rule files and prometheus-operator PrometheusRule resources.
// Pure: definitions in, files and problems out; the build decides what to write and when to fail.

import {
  dashboardUrlFor,
  defaultGrafanaUrl,
  renderDescription,
  severities,
  type AnyAlert,
  type AnyRecording,
  type RuleGroupDef,
} from "../kit/alert";
import { ruleContext } from "../kit/promql";
import type { Compiled, OutputFile, Problem } from "../model/output";
import { toYaml } from "./kubernetes";
import { parseDuration } from "../model/duration";

export interface PrometheusRuleOptions {
  /** Namespace of the PrometheusRule resources. */
  readonly namespace: string;
  /** Labels of the resources; the Prometheus `ruleSelector` matches on them. */
  readonly labels: Readonly<Record<string, string>>;
  /** Base URL of Grafana, for the `dashboard_url` annotation. */
  readonly grafanaUrl: string;
}

export const defaultPrometheusRuleOptions: PrometheusRuleOptions = {
  namespace: "monitoring",
  // kube-prometheus-stack's default ruleSelector is `release: <helm release name>`.
  labels: { release: "kube-prometheus-stack" },
  grafanaUrl: defaultGrafanaUrl,
};


/** Limits and forms from the monitoring-mixins style guide (mixtool lint) and promtool. */
const maxRulesPerGroup = 20;
const maxAlertNameLength = 40;
const alertNamePattern = /^[A-Z][a-zA-Z0-9]*$/;
const groupNamePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const recordNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_]+$/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

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
): Compiled & { readonly resources: unknown[] } {
  const files: OutputFile[] = [];
  /** The PrometheusRule objects, for validation against the CRD schema (src/validate/prometheus-rule.ts). */
  const resources: unknown[] = [];
  const problems: Problem[] = [...checkUniqueness(groups)];

  for (const group of groups) {
    const groupProblems = checkGroup(group);
    const compiled = compileGroup(group, options.grafanaUrl, groupProblems);
    problems.push(...groupProblems);
    if (!compiled) continue;

    const resource = {
      apiVersion: "monitoring.coreos.com/v1" as const,
      kind: "PrometheusRule" as const,
      metadata: { name: `254carbon-${group.name}`, namespace: options.namespace, labels: sortedRecord(options.labels) },
      spec: { groups: [compiled] },
    };
    resources.push(resource);

    files.push({ path: `prometheus/${group.name}.rules.yaml`, content: toRulesYaml({ groups: [compiled] }) });
    files.push({ path: `k8s/prometheusrule-${group.name}.yaml`, content: toRulesYaml(resource) });
  }
  return { files, problems, resources };
}

/** The PrometheusRule files among compiled outputs, for the build's kustomization. */
export function prometheusRuleResourcePaths(files: readonly OutputFile[]): string[] {
  return files.filter((f) => f.path.startsWith("k8s/prometheusrule-")).map((f) => f.path);
}

// ---------------------------------------------------------------- rendering

function compileGroup(group: RuleGroupDef, grafanaUrl: string, problems: Problem[]): GroupYaml | undefined {
  const ctx = ruleContext(group.rateWindow);
  const rules: RuleYaml[] = [];
  let failed = false;
  const attempt = (name: string, build: () => RuleYaml) => {
    try {
      rules.push(build());
    } catch (error) {
      failed = true;
      problems.push({ location: [group.name, name], message: `cannot render rule: ${(error as Error).message}` });
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
        description: renderDescription(def).text,
        runbook_url: def.runbookUrl,
        dashboard_url: dashboardUrlFor(def.panel, grafanaUrl),
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

function checkUniqueness(groups: readonly RuleGroupDef[]): Problem[] {
  const problems: Problem[] = [];
  const seen = (kind: string, keyOf: (g: RuleGroupDef) => string[]) => {
    const where = new Map<string, string>();
    for (const group of groups) {
      for (const key of keyOf(group)) {
        const first = where.get(key);
        if (first !== undefined) problems.push({ location: [group.name, key], message: `duplicate ${kind} name (first defined in group "${first}")` });
        else where.set(key, group.name);
      }
    }
  };
  seen("group", (g) => [g.name]);
  seen("alert", (g) => g.alerts.map((a) => a.name));
  seen("recording rule", (g) => (g.recordings ?? []).map((r) => r.record));
  return problems;
}

function checkGroup(group: RuleGroupDef): Problem[] {
  const problems: Problem[] = [];
  const at = (rule?: string) => (rule ? [group.name, rule] : [group.name]);
  const size = group.alerts.length + (group.recordings?.length ?? 0);
  if (!groupNamePattern.test(group.name)) problems.push({ location: at(), message: "group name must be lower-case kebab-case (it names files and resources)" });
  if (size === 0) problems.push({ location: at(), message: "group has no rules" });
  if (size > maxRulesPerGroup) problems.push({ location: at(), message: `group has ${size} rules, at most ${maxRulesPerGroup} allowed: split it` });
  if (!isDuration(group.rateWindow)) problems.push({ location: at(), message: `rateWindow "${group.rateWindow}" is not a Prometheus duration` });
  if (group.interval !== undefined && !isDuration(group.interval)) problems.push({ location: at(), message: `interval "${group.interval}" is not a Prometheus duration` });
  problems.push(...checkLabels(group.labels ?? {}).map((message) => ({ location: at(), message })));
  for (const rec of group.recordings ?? []) problems.push(...checkRecording(rec, group).map((message) => ({ location: at(rec.record), message })));
  for (const def of group.alerts) problems.push(...checkAlert(def).map((message) => ({ location: at(def.name), message })));
  return problems;
}

function isDuration(text: string): boolean {
  return parseDuration(text) !== undefined;
}

function checkLabels(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).flatMap(([name, text]) => [
    ...(labelNamePattern.test(name) ? [] : [`label name "${name}" is not a valid Prometheus label name`]),
    // A label templated with $value makes a new alert on every evaluation (pint: alerts/template).
    ...(String(text).includes("$value") ? [`label "${name}" uses $value: every new value would start a new alert`] : []),
  ]);
}

function checkRecording(rec: AnyRecording, group: RuleGroupDef): string[] {
  const problems: string[] = [];
  if (!recordNamePattern.test(rec.record)) problems.push(`recording rule name "${rec.record}" must follow level:metric:operations`);
  const window = /:.*rate(\d+[smhdwy])$/.exec(rec.record)?.[1];
  if (window !== undefined && window !== group.rateWindow)
    problems.push(`recording rule name says rate${window} but the group renders rate() over ${group.rateWindow}`);
  problems.push(...checkLabels(rec.labels ?? {}));
  return problems;
}

function checkAlert(def: AnyAlert): string[] {
  const problems: string[] = [];
  if (!alertNamePattern.test(def.name)) problems.push("alert name must be CamelCase (letters and digits, starting upper-case)");
  if (def.name.length > maxAlertNameLength) problems.push(`alert name has ${def.name.length} characters, at most ${maxAlertNameLength} allowed`);
  // Runtime check too: definitions may come from untyped code or casts.
  if (!severities.includes(def.severity)) problems.push(`severity "${String(def.severity)}" must be one of ${severities.join(", ")}`);
  if (!isDuration(def.for) || /^0+[a-z]*$/.test(def.for)) problems.push(`for "${def.for}" must be a positive Prometheus duration`);
  if (def.keepFiringFor !== undefined && !isDuration(def.keepFiringFor)) problems.push(`keepFiringFor "${def.keepFiringFor}" is not a Prometheus duration`);
  problems.push(...checkSummary(def.summary));
  try {
    const description = renderDescription(def).text;
    if (description.trim() === "") problems.push("description is empty");
  } catch (error) {
    problems.push(`description cannot be rendered: ${(error as Error).message}`);
  }
  problems.push(...checkLabels(def.labels ?? {}));
  if (def.labels && "severity" in def.labels) problems.push("set severity through the severity field, not labels");
  if (!Number.isInteger(def.panel.panelId) || def.panel.panelId < 1) problems.push(`panel id ${def.panel.panelId} must be a positive integer`);
  if (def.threshold && !Number.isFinite(def.threshold.value)) problems.push("threshold value must be a finite number");
  return problems;
}

/** mixtool: summary present, untemplated, capitalised, ending with a period. */
export function checkSummary(summary: string): string[] {
  const problems: string[] = [];
  if (summary.trim() === "") return ["summary is empty"];
  if (summary.includes("{{")) problems.push("summary must not be templated: put labels and values in the description");
  if (!/^[A-Z]/.test(summary)) problems.push("summary must start with an upper-case letter");
  if (!summary.endsWith(".")) problems.push("summary must end with a period");
  return problems;
}
