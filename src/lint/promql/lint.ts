// Lints one PromQL query: substitute Grafana variables, parse once, run every query rule of
// the registry over the same tree. Never throws: a failing check becomes an `internal` finding.

import { indexCatalogue, seriesKind } from "../catalogue";
import type { LintOptions, Profile, QueryContext, QueryMode } from "../rule";
import { runCheck, rulesOf, type Emit, type RawFinding } from "../run";
import type { Expr } from "./ast";
import { parsePromQL, type ParsedQuery } from "./parse";
import { endOfString, restoreVariables, substituteVariables, type DashboardVariable } from "./variables";

export interface QueryInput {
  readonly mode: QueryMode;
  readonly profile: Profile;
  readonly variables?: readonly DashboardVariable[];
}

export interface QueryResult {
  readonly findings: readonly RawFinding[];
  /** Undefined when the query could not be parsed cleanly. */
  readonly parsed?: ParsedQuery;
}

/** lezer's parser gives up (with spurious errors) somewhere past ~2,000 levels. */
export const MAX_PARSE_DEPTH = 1000;

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

function tooDeep(query: string, depth: number): ParsedQuery {
  const root: Expr = { kind: "unknown", from: 0, to: query.length, type: "unknown", labels: null };
  return {
    root,
    problems: [{ kind: "parse", from: 0, message: `nesting ${depth} levels deep: more than the ${MAX_PARSE_DEPTH} this linter parses` }],
    hasSyntaxErrors: true,
    truncated: false,
    nodes: [],
  };
}

export function queryContext(query: string, input: QueryInput, options: LintOptions): QueryContext {
  const own = input.profile !== "foreign";
  const catalogue = indexCatalogue(options.catalogue);
  const depth = nestingDepth(query);
  const sub = substituteVariables(query, input.variables);
  const parsed =
    depth > MAX_PARSE_DEPTH
      ? tooDeep(query, depth)
      : parsePromQL(sub.text, {
          durations: sub.durations,
          // Labels are known only for catalogue metrics, and only where the catalogue applies.
          selectorLabels: ({ name }) => (own && name ? (catalogue.get(name)?.labels ?? null) : null),
        });
  const text = (node: Expr): string => {
    const original = query.slice(sub.toOriginal(node.from), sub.toOriginal(node.to));
    const restored = restoreVariables(original, sub.durations);
    return restored.length > 80 ? `${restored.slice(0, 77)}...` : restored;
  };
  return {
    query,
    parsed,
    mode: input.mode,
    own,
    options,
    catalogue,
    kind: (name) => seriesKind(catalogue, options.metadata, name),
    text,
    column: (offset) => sub.toOriginal(offset) + 1,
  };
}

export function lintQuery(query: string, input: QueryInput, options: LintOptions): QueryResult {
  const findings: RawFinding[] = [];
  const emit: Emit = (rule, message) => findings.push({ rule, message });
  let ctx: QueryContext;
  try {
    ctx = queryContext(query, input, options);
  } catch (e) {
    runCheck(emit, undefined, () => {
      throw e;
    });
    return { findings };
  }
  const { parsed } = ctx;
  for (const rule of rulesOf(options.rules, "query", input.profile)) {
    if (rule.stage !== "input" && parsed.hasSyntaxErrors) continue;
    if (rule.stage === undefined && parsed.truncated) continue;
    runCheck(emit, rule, () => rule.check(ctx, (message) => emit(rule, message)));
  }
  return parsed.hasSyntaxErrors ? { findings } : { findings, parsed };
}
