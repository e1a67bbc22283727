// Lint of compiled rule files (what Prometheus will load), after mixtool and pint:
// names, severity, summary/description style, group size, `$labels` the query keeps,
// no `$value` in labels, runbook and dashboard links, no always-firing alerts.

import { parser } from "@prometheus-io/lezer-promql";
import { allMetrics } from "../../../catalogue/metrics";
import { seriesNames } from "../../../src/kit/metric";
import { keptLabels, type SeriesLabels } from "./kept-labels";

export interface RuleYaml {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}
export interface RuleFileYaml {
  readonly groups: readonly { readonly name: string; readonly rules: readonly RuleYaml[] }[];
}

export interface LintContext {
  /** Anchors (`#...`) that exist in docs/runbooks.md. */
  readonly runbookAnchors: ReadonlySet<string>;
  readonly grafanaUrl: string;
}

export const runbookPrefix = "https://github.com/254carbon/observability/blob/main/docs/runbooks.md#";

/** Labels of catalogue series: histograms expose `_bucket` (with `le`), `_sum` and `_count`. */
export function catalogueSeriesLabels(): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const metric of allMetrics) {
    for (const name of seriesNames(metric)) map.set(name, name.endsWith("_bucket") ? [...metric.labels, "le"] : metric.labels);
  }
  return map;
}

/** Problems of every rule in the files, as "group › rule: message". */
export function lintRuleFiles(files: readonly RuleFileYaml[], context: LintContext): string[] {
  const known = catalogueSeriesLabels();
  const resolve: SeriesLabels = (name) => known.get(name);
  const problems: string[] = [];
  const alertNames = new Set<string>();

  // Recorded series first, so alerts (in any file) can read them.
  for (const group of files.flatMap((f) => f.groups)) {
    for (const rule of group.rules) {
      if (rule.record) known.set(rule.record, [...keptLabels(rule.expr, resolve), ...Object.keys(rule.labels ?? {})]);
    }
  }

  for (const group of files.flatMap((f) => f.groups)) {
    const report = (rule: string | undefined, message: string) => problems.push(`${group.name}${rule ? ` › ${rule}` : ""}: ${message}`);
    if (group.rules.length > 20) report(undefined, `${group.rules.length} rules, at most 20`);
    for (const rule of group.rules) {
      if (rule.record) {
        if (!/^[a-zA-Z_]\w*:\w+:\w+$/.test(rule.record)) report(rule.record, "recording rule name must be level:metric:operations");
        continue;
      }
      const name = rule.alert ?? "(unnamed)";
      for (const message of lintAlert(rule, resolve, context)) report(name, message);
      if (alertNames.has(name)) report(name, "duplicate alert name");
      alertNames.add(name);
    }
  }
  return problems;
}

export function lintAlert(rule: RuleYaml, resolve: SeriesLabels, context: LintContext): string[] {
  const problems: string[] = [];
  const name = rule.alert ?? "";
  const labels = rule.labels ?? {};
  const annotations = rule.annotations ?? {};
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name) || name.length > 40) problems.push("name must be CamelCase, at most 40 characters");
  if (!["critical", "warning", "info"].includes(labels.severity ?? "")) problems.push(`severity "${labels.severity}" must be critical, warning or info`);
  for (const [label, value] of Object.entries(labels)) {
    if (value.includes("$value")) problems.push(`label ${label} uses $value`);
    if (value.includes("{{")) problems.push(`label ${label} is templated`);
  }
  if (!rule.for || /^0+[a-z]*$/.test(rule.for)) problems.push("for must be set and above 0");

  const summary = annotations.summary ?? "";
  if (!summary) problems.push("summary missing");
  else if (summary.includes("{{") || !/^[A-Z]/.test(summary) || !summary.endsWith(".")) problems.push(`summary "${summary}" must be plain, capitalised and end with a period`);

  const description = annotations.description ?? "";
  const isAbsentAlert = /^absent\(/.test(rule.expr);
  if (!description) problems.push("description missing");
  // absent() alerts have no labels and always the value 1: nothing to template.
  else if (!description.includes("{{") && !isAbsentAlert) problems.push("description must be templated with labels or $value");

  const used = [...description.matchAll(/\$labels\.([a-zA-Z_]\w*)/g)].map((m) => m[1]!);
  const kept = keptLabels(rule.expr, resolve);
  const missing = used.filter((label) => !kept.has(label));
  if (missing.length) problems.push(`description names ${missing.join(", ")}, which the expression drops (it keeps: ${[...kept].join(", ") || "none"})`);

  if (!isAbsentAlert && !hasComparison(rule.expr)) problems.push("expression has no comparison: it would always fire");

  const runbook = annotations.runbook_url ?? "";
  if (runbook !== `${runbookPrefix}${name.toLowerCase()}`) problems.push(`runbook_url "${runbook}" must be ${runbookPrefix}${name.toLowerCase()}`);
  else if (!context.runbookAnchors.has(name.toLowerCase())) problems.push(`docs/runbooks.md has no section for ${name}`);

  const dashboardPattern = new RegExp(`^${escapeRegExp(context.grafanaUrl)}/d/[a-zA-Z0-9_-]+\\?viewPanel=[1-9]\\d*$`);
  if (!dashboardPattern.test(annotations.dashboard_url ?? "")) problems.push(`dashboard_url "${annotations.dashboard_url}" must be ${context.grafanaUrl}/d/<uid>?viewPanel=<id>`);
  return problems;
}

/** True when the top of the expression (through `and`/`unless` left sides and parentheses) compares. */
function hasComparison(expr: string): boolean {
  let node = parser.parse(expr).topNode.firstChild;
  while (node) {
    if (node.name === "ParenExpr") node = node.firstChild;
    else if (node.name === "BinaryExpr") {
      const op = node.firstChild?.nextSibling?.name ?? "";
      if (["Gtr", "Gte", "Lss", "Lte", "Eql", "Neq"].includes(op)) return true;
      if (op === "And" || op === "Unless") node = node.firstChild;
      else return false;
    } else return false;
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** GitHub's heading anchors for `## Title` lines: lower-case, spaces to dashes, punctuation dropped. */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}\s+(.+)$/gm)) {
    anchors.add(match[1]!.trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-"));
  }
  return anchors;
}
