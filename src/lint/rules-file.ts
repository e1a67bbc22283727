// Rule files: plain Prometheus rule files and PrometheusRule resources (told apart by content).
// Runs the registry's group and rule rules, and the query rules on every expr.

import { parseAllDocuments } from "yaml";
import type { LintFinding } from "../model/finding";
import { lintQuery } from "./promql/lint";
import type { LintOptions, Profile } from "./rule";
import { groupContext, ruleContext, type GroupContext } from "./rules-model";
import { place, rulesOf, runCheck, type Emit, type RawFinding } from "./run";
import { isObject } from "./types";

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
    // The whole message: its first line says what, the rest shows where (line, column, the text).
    if (doc.errors.length) throw new RuleFileError(`invalid YAML: ${doc.errors[0]!.message.trimEnd()}`);
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

export function lintRuleGroups(sources: readonly RuleGroupSource[], file: string, profile: Profile, options: LintOptions): LintFinding[] {
  const findings: LintFinding[] = [];
  const earlier = new Set<string>();
  for (const source of sources)
    for (const [index, group] of source.groups.entries()) {
      const ctx = groupContext(group, index, new Set(earlier));
      if (ctx.isGroup && typeof ctx.group.name === "string") earlier.add(ctx.group.name);
      lintGroup(ctx, file, profile, options, findings);
    }
  return findings;
}

function lintGroup(ctx: GroupContext, file: string, profile: Profile, options: LintOptions, findings: LintFinding[]): void {
  const at = (raw: RawFinding, ruleName?: string) =>
    findings.push(place(raw, file, [ctx.name, ...(ruleName ? [ruleName] : [])], profile, { group: ctx.name, ...(ruleName ? { rule: ruleName } : {}) }));
  const emitGroup: Emit = (rule, message) => at({ rule, message });
  for (const rule of rulesOf(options.rules, "group", profile)) {
    if (!ctx.isGroup && rule.stage !== "input") continue;
    runCheck(emitGroup, rule, () => rule.check(ctx, (message) => emitGroup(rule, message)));
  }
  for (const [index, raw] of (Array.isArray(ctx.group.rules) ? ctx.group.rules : []).entries()) {
    const expr = isObject(raw) && typeof raw.expr === "string" && raw.expr.trim() ? raw.expr : undefined;
    const result = expr === undefined ? undefined : lintQuery(expr, { mode: "rule", profile }, options);
    const rctx = ruleContext(raw, index, result?.parsed && !result.parsed.truncated ? result.parsed.root : undefined);
    const emit: Emit = (rule, message) => at({ rule, message }, rctx.name);
    for (const f of result?.findings ?? []) emit(f.rule, f.message);
    for (const rule of rulesOf(options.rules, "rule", profile)) {
      if (!rctx.isRule && rule.stage !== "input") continue;
      runCheck(emit, rule, () => rule.check(rctx, (message) => emit(rule, message)));
    }
  }
}
