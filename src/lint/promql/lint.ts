// Lints one PromQL query: substitute Grafana variables, parse once, run every rule over the
// same tree. Never throws: an unexpected failure becomes an `internal` finding.

import { indexCatalogue } from "../catalogue";
import type { ExprFinding, LintOptions } from "../types";
import type { Expr } from "./ast";
import { collect, type PromQLRule, type QueryContext, type QueryMode } from "./context";
import { parsePromQL, MAX_DEPTH, type ParsedQuery } from "./parse";
import { counterRules } from "./rules/counters";
import { groupingRules } from "./rules/grouping";
import { histogramRules } from "./rules/histogram";
import { knownMetricRules } from "./rules/known";
import { rangeRules } from "./rules/ranges";
import { regexRules } from "./rules/regex";
import { endOfString, restoreVariables, substituteVariables, type DashboardVariable } from "./variables";

export interface QueryInput {
  readonly mode: QueryMode;
  readonly own: boolean;
  readonly variables?: readonly DashboardVariable[];
}

export interface QueryResult {
  readonly findings: readonly ExprFinding[];
  /** Undefined when the query could not be parsed cleanly. */
  readonly parsed?: ParsedQuery;
}

const MAX_PARSE_DEPTH = 1000;

/** Deepest bracket nesting outside strings, in one pass. */
function nestingDepth(query: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '"' || c === "'" || c === "`") i = endOfString(query, i) - 1;
    else if (c === "(" || c === "[" || c === "{") max = Math.max(max, ++depth);
    else if (c === ")" || c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  return max;
}

const RULES: readonly PromQLRule[] = [counterRules, rangeRules, histogramRules, regexRules, knownMetricRules, groupingRules];

export function lintQuery(query: string, input: QueryInput, options: LintOptions): QueryResult {
  const findings: ExprFinding[] = [];
  try {
    return lintUnsafe(query, input, options, findings);
  } catch (e) {
    findings.push({ rule: "internal", severity: "error", message: `linter failed on this query: ${(e as Error)?.message ?? String(e)}` });
    return { findings };
  }
}

function lintUnsafe(query: string, input: QueryInput, options: LintOptions, findings: ExprFinding[]): QueryResult {
  const report = collect(findings);
  const depth = nestingDepth(query);
  if (depth > MAX_PARSE_DEPTH) {
    // lezer's parser gives up (with spurious errors) somewhere past ~2,000 levels.
    report("syntax", "error", `nesting ${depth} levels deep: more than the ${MAX_PARSE_DEPTH} this linter parses`);
    return { findings };
  }
  const sub = substituteVariables(query, input.variables);
  const catalogue = indexCatalogue(options.catalogue);
  const parsed = parsePromQL(sub.text, {
    durations: sub.durations,
    selectorLabels: ({ name }) => (input.own && name ? (catalogue.get(name)?.labels ?? null) : null),
  });
  const column = (offset: number): number => sub.toOriginal(offset) + 1;
  const syntax = parsed.problems.filter((p) => p.rule === "syntax");
  for (const p of syntax) report("syntax", "error", p.message.replace(/column (\d+)/, (_, c: string) => `column ${column(Number(c) - 1)}`));
  if (parsed.hasSyntaxErrors) return { findings };
  if (parsed.truncated) {
    report("too-complex", "warning", `nesting deeper than ${MAX_DEPTH} levels: semantic checks skipped`);
    return { findings, parsed };
  }
  for (const p of parsed.problems) if (p.rule === "types") report("types", "error", `${p.message} (column ${column(p.from)})`);
  const top = parsed.root.type;
  if (top === "matrix" || top === "string")
    report("types", "error", `the query returns ${top === "matrix" ? "a range vector" : "a string"}; ${input.mode === "rule" ? "rules" : "panels"} need an instant vector or scalar`);

  const text = (node: Expr): string => {
    const original = query.slice(sub.toOriginal(node.from), sub.toOriginal(node.to));
    const restored = restoreVariables(original, sub.durations);
    return restored.length > 80 ? `${restored.slice(0, 77)}...` : restored;
  };
  const ctx: QueryContext = { parsed, mode: input.mode, own: input.own, options, catalogue, text, report };
  for (const rule of RULES) rule(ctx);
  return { findings, parsed };
}
