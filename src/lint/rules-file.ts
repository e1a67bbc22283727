// Rule files: plain Prometheus rule files and PrometheusRule resources (told apart by content).
// promtool `check rules` semantics, pint's alert checks and mixtool's conventions, plus the
// PromQL rules on every expr.

import { parseAllDocuments } from "yaml";
import { COMPARISONS, unwrapParens, type Expr } from "./promql/ast";
import { lintQuery } from "./promql/lint";
import { parseDuration } from "./duration";
import { isObject, type Finding, type Json, type LintOptions, type Severity } from "./types";

export interface RuleGroupSource {
  readonly groups: readonly unknown[];
  /** "rules" for a plain rule file, or the resource's name for a PrometheusRule. */
  readonly origin: string;
}

export class RuleFileError extends Error {}

/**
 * The rule groups in a YAML text. Throws RuleFileError for YAML that does not parse, or (when
 * `required`) for YAML without any rule groups.
 */
export function readRuleGroups(text: string, required: boolean): RuleGroupSource[] {
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text);
  } catch (e) {
    throw new RuleFileError(`invalid YAML: ${(e as Error).message}`);
  }
  const sources: RuleGroupSource[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) throw new RuleFileError(`invalid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // Unresolved aliases and alias bombs only surface here.
      throw new RuleFileError(`invalid YAML: ${(e as Error).message}`);
    }
    if (!isObject(value)) continue;
    if (value.kind === "PrometheusRule") {
      const spec = isObject(value.spec) ? value.spec : {};
      const name = isObject(value.metadata) && typeof value.metadata.name === "string" ? value.metadata.name : "PrometheusRule";
      sources.push({ groups: Array.isArray(spec.groups) ? spec.groups : [], origin: name });
    } else if ("groups" in value) {
      if (!Array.isArray(value.groups)) throw new RuleFileError("`groups` must be a list");
      sources.push({ groups: value.groups, origin: "rules" });
    }
  }
  if (required && sources.length === 0) throw new RuleFileError("neither a Prometheus rule file (groups:) nor a PrometheusRule resource");
  return sources;
}

/** Names defined by recording rules, so dashboards may use them. */
export function recordedNames(sources: readonly RuleGroupSource[]): string[] {
  return sources.flatMap((s) => s.groups.filter(isObject).flatMap((g) => (Array.isArray(g.rules) ? g.rules : []).filter(isObject).flatMap((r) => (typeof r.record === "string" ? [r.record] : []))));
}

const GROUP_FIELDS = new Set(["name", "interval", "rules", "limit", "query_offset", "labels", "partial_response_strategy"]);
const RULE_FIELDS = new Set(["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const SEVERITIES = new Set(["critical", "warning", "info"]);
const MAX_RULES_PER_GROUP = 20;

export function lintRuleGroups(sources: readonly RuleGroupSource[], file: string, own: boolean, options: LintOptions): Finding[] {
  const findings: Finding[] = [];
  try {
    const seenGroups = new Set<string>();
    for (const source of sources) for (const [i, group] of source.groups.entries()) lintGroup(group, i, file, own, options, seenGroups, findings);
  } catch (e) {
    findings.push({ file, location: [], rule: "internal", severity: "error", message: `linter failed: ${(e as Error)?.message ?? String(e)}` });
  }
  return findings;
}

function lintGroup(group: unknown, index: number, file: string, own: boolean, options: LintOptions, seen: Set<string>, findings: Finding[]): void {
  const groupName = isObject(group) && typeof group.name === "string" && group.name ? group.name : `group #${index + 1}`;
  const addGroup = (rule: string, severity: Severity, message: string, location: string[] = [], ruleName?: string) =>
    findings.push({ file, location: [groupName, ...location], rule, severity, message, scope: { group: groupName, ...(ruleName ? { rule: ruleName } : {}) } });
  if (!isObject(group)) {
    addGroup("rule-group", "error", "a rule group must be a mapping");
    return;
  }
  if (typeof group.name !== "string" || !group.name) addGroup("rule-group", "error", "rule group has no name");
  else if (seen.has(group.name)) addGroup("rule-group", "error", `group name ${group.name} is used twice in this file`);
  else seen.add(group.name);
  for (const key of Object.keys(group)) if (!GROUP_FIELDS.has(key)) addGroup("rule-fields", "error", `unknown group field ${key}`);
  if (group.interval !== undefined && !(typeof group.interval === "string" && parseDuration(group.interval)))
    addGroup("rule-group", "error", `interval ${JSON.stringify(group.interval)} is not a duration`);
  const rules = Array.isArray(group.rules) ? group.rules : [];
  if (!Array.isArray(group.rules)) addGroup("rule-group", "error", "group has no rules list");
  if (rules.length > MAX_RULES_PER_GROUP) addGroup("rule-group-size", "error", `${rules.length} rules in one group (at most ${MAX_RULES_PER_GROUP}): split it`);
  for (const [ri, rule] of rules.entries()) lintRule(rule, ri, own, options, addGroup);
}

type AddFinding = (rule: string, severity: Severity, message: string, location?: string[], ruleName?: string) => void;

function lintRule(rule: unknown, index: number, own: boolean, options: LintOptions, addGroup: AddFinding): void {
  if (!isObject(rule)) {
    addGroup("rule-kind", "error", "a rule must be a mapping", [`rule #${index + 1}`]);
    return;
  }
  const alert = typeof rule.alert === "string" ? rule.alert : undefined;
  const record = typeof rule.record === "string" ? rule.record : undefined;
  const name = alert ?? record ?? `rule #${index + 1}`;
  const add = (id: string, severity: Severity, message: string) => addGroup(id, severity, message, [name], name);

  for (const key of Object.keys(rule)) if (!RULE_FIELDS.has(key)) add("rule-fields", "error", `unknown rule field ${key}`);
  if ((rule.alert !== undefined) === (rule.record !== undefined)) add("rule-kind", "error", "a rule needs exactly one of record and alert");
  if (rule.alert !== undefined && !alert) add("rule-kind", "error", "alert must be a non-empty string");
  if (rule.record !== undefined && !record) add("rule-kind", "error", "record must be a non-empty string");

  const labels = isObject(rule.labels) ? rule.labels : {};
  const annotations = isObject(rule.annotations) ? rule.annotations : {};
  if (rule.labels !== undefined && !isObject(rule.labels)) add("rule-fields", "error", "labels must be a mapping");
  if (rule.annotations !== undefined && !isObject(rule.annotations)) add("rule-fields", "error", "annotations must be a mapping");
  for (const [k, v] of Object.entries(labels)) {
    if (!LABEL_NAME.test(k) || k.startsWith("__")) add("rule-fields", "error", `invalid label name ${k}`);
    if (typeof v !== "string") add("rule-fields", "error", `label ${k} must be a string`);
    else if (/\$value\b|\.Value\b/.test(v)) add("alert-value-in-labels", "error", `label ${k} uses $value: every new value makes a new alert; put it in an annotation`);
  }
  for (const [k, v] of Object.entries({ ...labels, ...annotations })) {
    if (typeof v === "string" && !templateBalanced(v)) add("template-syntax", "error", `${k}: unbalanced {{ }} in template`);
  }
  for (const k of Object.keys(annotations)) if (!LABEL_NAME.test(k)) add("rule-fields", "error", `invalid annotation name ${k}`);

  // The expression.
  let root: Expr | undefined;
  if (typeof rule.expr !== "string" || !rule.expr.trim()) add("rule-kind", "error", "rule has no expr");
  else {
    const result = lintQuery(rule.expr, { mode: "rule", own }, options);
    for (const f of result.findings) add(f.rule, f.severity, f.message);
    if (result.parsed && !result.parsed.truncated) root = result.parsed.root;
  }

  if (record !== undefined) {
    if (record && !METRIC_NAME.test(record)) add("record-name", "error", `${JSON.stringify(record)} is not a valid metric name`);
    for (const k of ["for", "keep_firing_for", "annotations"]) if (rule[k] !== undefined) add("record-name", "error", `recording rules take no ${k}`);
    return;
  }
  if (alert === undefined) return;

  if (!/^[A-Z][a-zA-Z0-9]*$/.test(alert)) add("alert-name", "error", `alert name ${alert} must be CamelCase ([A-Z][a-zA-Z0-9]*)`);
  if (alert.length > 40) add("alert-name", "error", `alert name is ${alert.length} characters (at most 40)`);

  const severity = labels.severity;
  if (typeof severity !== "string" || !SEVERITIES.has(severity))
    add("alert-severity", "error", `label severity must be one of critical, warning, info; got ${JSON.stringify(severity ?? null)}`);

  const summary = annotations.summary;
  if (typeof summary !== "string" || !summary.trim()) add("alert-summary", "error", "annotation summary is missing");
  else {
    if (summary.includes("{{")) add("alert-summary", "error", "summary must not be templated (put details in description)");
    if (!/^[A-Z]/.test(summary)) add("alert-summary", "error", "summary must start with a capital letter");
    if (!summary.trimEnd().endsWith(".")) add("alert-summary", "error", "summary must end with a period");
  }
  const description = annotations.description;
  if (typeof description !== "string" || !description.trim()) add("alert-description", "error", "annotation description is missing");
  else if (!description.includes("{{")) add("alert-description", "error", "description should be templated ({{ $labels.x }}, {{ $value }}) to say which series fired");

  if (rule.for === undefined) add("alert-for", "warning", "no `for`: the alert fires on the first evaluation that matches; a blip pages");
  else {
    const ms = typeof rule.for === "string" ? parseDuration(rule.for) : undefined;
    if (ms === undefined) add("alert-for", "error", `for ${JSON.stringify(rule.for)} is not a duration`);
    else if (ms <= 0) add("alert-for", "error", "for must be greater than 0");
  }

  if (root) {
    if (!isCondition(root)) add("alert-always-firing", "error", "the expression has no comparison (and no absent()): it returns a value for every series, so the alert always fires");
    const available = root.labels;
    if (available) {
      const produced = new Set([...available, ...Object.keys(labels), "alertname"]);
      for (const [k, v] of Object.entries({ ...labels, ...annotations })) {
        if (typeof v !== "string") continue;
        for (const m of v.matchAll(/(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)/g))
          if (!produced.has(m[1]!)) add("alert-labels-template", "error", `${k} uses $labels.${m[1]}, which the expression cannot produce (it keeps ${[...available].join(", ") || "no labels"})`);
      }
    }
  }
}

function templateBalanced(text: string): boolean {
  return text.split("{{").length === text.split("}}").length;
}

/** True when the expression filters: a comparison (without bool), absent(), or set operations over them. */
export function isCondition(expr: Expr): boolean {
  const e = unwrapParens(expr);
  switch (e.kind) {
    case "binary":
      if (COMPARISONS.has(e.op)) return !e.bool;
      if (e.op === "and" || e.op === "unless") return isCondition(e.lhs) || (e.op === "and" && isCondition(e.rhs));
      if (e.op === "or") return isCondition(e.lhs) && isCondition(e.rhs);
      return false;
    case "call":
      if (e.fn === "absent" || e.fn === "absent_over_time") return true;
      return e.args[0] !== undefined && ["label_replace", "label_join", "sort", "sort_desc"].includes(e.fn) && isCondition(e.args[0]);
    case "aggregate": {
      const input = e.args[e.args.length - 1];
      return input !== undefined && isCondition(input);
    }
    case "offset":
    case "at":
      return isCondition(e.expr);
    default:
      return false;
  }
}
