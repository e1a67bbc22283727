// PromQL text → lezer tree → our syntax tree (ast.ts), with syntax findings. Value types and
// result labels are computed bottom-up during the same walk, and type errors are reported
// as they are found, so later rules read a finished tree.

import { parseDuration } from "../../model/duration";
import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";
import {
  COMPARISONS,
  SET_OPERATORS,
  type AggregateNode,
  type Expr,
  type Grouping,
  type LabelSet,
  type Matcher,
  type Range,
  type SelectorNode,
  type ValueType,
  type VectorMatching,
} from "./ast";
import { AGGREGATIONS, FUNCTIONS } from "./functions";

/** Deeper nesting than this is not built (lezer copes; our recursion need not). */
export const MAX_DEPTH = 400;

/**
 * Up to this many characters lezer's verdict on a query is exact. Past it, a long left-associative
 * chain (`a or b or ...`, `up + up + ...`) trips a safeguard in @lezer/lr (Recover.MinBigReduction =
 * 2000 characters, Rec.MaxLeftAssociativeReductionCount = 300, hard-coded; added in 1.3.0 for
 * codemirror/dev#1030, its side effects discussed in codemirror/dev#1068): more than 300 reductions
 * of one node spanning 2,000+ characters from the same start make the parser force the stack out
 * of that node, which leaves error nodes in a valid query. So an error found only past this
 * offset may be lezer's, not the query's: such a query is reported as too long to analyse.
 */
export const LEZER_EXACT_LENGTH = 2000;

/** What the parser found wrong: the text does not parse, or the types do not fit. */
export interface ParseProblem {
  readonly kind: "parse" | "type";
  readonly message: string;
  readonly from: number;
}

export interface ParsedQuery {
  readonly root: Expr;
  /** Syntax and type problems; offsets in the parsed (substituted) text. */
  readonly problems: readonly ParseProblem[];
  readonly hasSyntaxErrors: boolean;
  /** True when nesting went past MAX_DEPTH and part of the tree was not built. */
  readonly truncated: boolean;
  /** Set when the query is too long for the parser's verdict to be trusted (LEZER_EXACT_LENGTH): nothing was analysed. */
  readonly tooLong?: string;
  /** Every node of the tree, parents before children; rules iterate this flat list. */
  readonly nodes: readonly Expr[];
}

export interface BuildContext {
  /** Labels a selector's series carry, when known (catalogue metrics of own files). */
  readonly selectorLabels: (selector: { name?: string }) => LabelSet;
  /** Sentinel duration text → variable. */
  readonly durations: ReadonlyMap<string, string>;
}

const EXPR_NODES = new Set([
  "AggregateExpr", "BinaryExpr", "FunctionCall", "MatrixSelector", "NumberDurationLiteral", "OffsetExpr", "AnchoredExpr",
  "SmoothedExpr", "ParenExpr", "StringLiteral", "SubqueryExpr", "UnaryExpr", "VectorSelector", "StepInvariantExpr",
]);

/** A query the parser cannot judge: no problems claimed, nothing analysed, and why. */
function unanalysed(text: string, reason: string): ParsedQuery {
  return { root: { kind: "unknown", from: 0, to: text.length, type: "unknown", labels: null }, problems: [], hasSyntaxErrors: false, truncated: true, tooLong: reason, nodes: [] };
}

export function parsePromQL(text: string, ctx: BuildContext): ParsedQuery {
  let tree: ReturnType<typeof parser.parse>;
  try {
    tree = parser.parse(text);
  } catch (e) {
    // Building the tree of a very long chain recurses past the call stack (@lezer/common).
    if (e instanceof RangeError) return unanalysed(text, `${text.length} characters: too long for the PromQL parser (its tree is deeper than the call stack)`);
    throw e;
  }
  const problems: ParseProblem[] = [];
  let hasSyntaxErrors = false;
  let lastErrorAt = -1;
  // One cursor pass over lezer's tree for what the AST does not keep: error nodes and strings.
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        hasSyntaxErrors = true;
        if (node.from === lastErrorAt) return; // lezer may stack several errors at one spot
        lastErrorAt = node.from;
        problems.push({ kind: "parse", from: node.from, message: syntaxMessage(text, node.from, node.to) });
      } else if (node.name === "StringLiteral" && !isTerminated(text.slice(node.from, node.to))) {
        hasSyntaxErrors = true;
        problems.push({ kind: "parse", from: node.from, message: `unterminated string starting at column ${node.from + 1}` });
      }
    },
  });

  const firstError = problems[0]?.from;
  if (firstError !== undefined && firstError >= LEZER_EXACT_LENGTH)
    return unanalysed(text, `${text.length} characters: longer than the ${LEZER_EXACT_LENGTH} the PromQL parser judges exactly, and its only errors lie beyond that (a parser limit, not necessarily the query's)`);
  if (firstError !== undefined) {
    // Errors past the limit may be the parser's own; the query is invalid anyway, so keep the sure ones.
    const sure = problems.filter((p) => p.from < LEZER_EXACT_LENGTH);
    problems.splice(0, problems.length, ...sure);
  }

  const builder = new Builder(text, ctx, problems);
  // `# comment` lines are nodes of their own; the expression is the one other child.
  let top = tree.topNode.firstChild;
  while (top && top.name === "LineComment") top = top.nextSibling;
  const root = top && EXPR_NODES.has(top.name) ? builder.build(top, 0) : builder.unknown(0, text.length);
  return { root, problems, hasSyntaxErrors, truncated: builder.truncated, nodes: builder.nodes };
}

function syntaxMessage(text: string, from: number, to: number): string {
  if (from >= text.length) return text.trim() === "" ? "empty expression" : `unexpected end of input at column ${text.length + 1}`;
  const snippet = text.slice(from, Math.max(to, from + 1)).slice(0, 30);
  return `unexpected ${JSON.stringify(snippet)} at column ${from + 1}`;
}

function isTerminated(literal: string): boolean {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) return false;
  if (quote === "`") return true;
  // The closing quote must not be escaped: count the backslashes before it.
  let backslashes = 0;
  for (let i = literal.length - 2; i > 0 && literal[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** Go-style string literal → value (the escapes PromQL accepts). */
export function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, literal.length > 1 && literal.endsWith(quote ?? "") ? -1 : undefined);
  if (quote === "`") return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case "n": return "\n";
      case "t": return "\t";
      case "r": return "\r";
      case "a": return "\x07";
      case "b": return "\b";
      case "f": return "\f";
      case "v": return "\v";
      case "x": case "u": case "U": {
        const code = parseInt(e.slice(1), 16);
        // A bad escape such as `\\um` keeps its letter; Prometheus rejects it, the linter need not crash.
        return e.length > 1 && code <= 0x10ffff ? String.fromCodePoint(code) : e;
      }
      default:
        return /^[0-7]{3}$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : e;
    }
  });
}

/** A PromQL range or offset in ms: a Prometheus duration, or a plain number of seconds. */
export function parsePromqlDuration(text: string): number | undefined {
  const t = text.trim();
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) * 1000 : parseDuration(t);
}

interface Modifier {
  readonly kind: "offset" | "at";
  readonly from: number;
  readonly to: number;
}

class Builder {
  truncated = false;
  readonly nodes: Expr[] = [];

  constructor(
    private readonly text: string,
    private readonly ctx: BuildContext,
    private readonly problems: ParseProblem[],
  ) {}

  private src(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  private typeError(from: number, message: string): void {
    this.problems.push({ kind: "type", from, message });
  }

  unknown(from: number, to: number): Expr {
    const node: Expr = { kind: "unknown", from, to, parent: undefined, type: "unknown", labels: null };
    this.nodes.push(node);
    return node;
  }

  private exprChildren(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) if (EXPR_NODES.has(c.name)) out.push(c);
    return out;
  }

  private child(node: SyntaxNode, name: string): SyntaxNode | null {
    for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === name) return c;
    return null;
  }

  build(node: SyntaxNode, depth: number): Expr {
    if (depth > MAX_DEPTH) {
      this.truncated = true;
      return this.unknown(node.from, node.to);
    }
    return this.register(this.make(node, depth + 1));
  }

  /** Adds a finished node to the flat list and makes it its children's parent. */
  private register(expr: Expr): Expr {
    this.nodes.push(expr);
    switch (expr.kind) {
      case "matrix": case "subquery": case "unary": case "paren": case "offset": case "at": case "modifier":
        expr.expr.parent = expr;
        break;
      case "call": case "aggregate":
        for (const arg of expr.args) arg.parent = expr;
        break;
      case "binary":
        expr.lhs.parent = expr;
        expr.rhs.parent = expr;
    }
    return expr;
  }

  private sub(node: SyntaxNode | undefined, depth: number, from: number): Expr {
    return node ? this.build(node, depth) : this.unknown(from, from);
  }

  /** An operand, with a pending offset/@ pushed down onto it. */
  private operand(node: SyntaxNode | undefined, depth: number, from: number, pending: Modifier | undefined): Expr {
    if (!pending) return this.sub(node, depth, from);
    if (depth > MAX_DEPTH) {
      this.truncated = true;
      return this.unknown(node?.from ?? from, node?.to ?? from);
    }
    if (node && (node.name === "BinaryExpr" || node.name === "UnaryExpr")) return this.register(this.make(node, depth + 1, pending));
    return this.register(this.modified(this.sub(node, depth, from), { ...pending, from: node?.from ?? from }));
  }

  private modified(inner: Expr, m: Modifier): Expr {
    if (!["selector", "matrix", "subquery", "offset", "at", "unknown"].includes(inner.kind))
      this.typeError(m.from, `${m.kind === "offset" ? "offset" : "@"} must follow a selector or subquery`);
    return { kind: m.kind, from: m.from, to: m.to, parent: undefined, expr: inner, type: inner.type, labels: inner.labels };
  }

  /** `pending`: an offset/@ that belongs to this expression's rightmost operand. */
  private make(node: SyntaxNode, depth: number, pending?: Modifier): Expr {
    const { from, to } = node;
    switch (node.name) {
      case "NumberDurationLiteral": {
        const t = this.src(node).replace(/_/g, "");
        const value = /^[+-]?(inf|nan)$/i.test(t) ? (/nan/i.test(t) ? NaN : t.startsWith("-") ? -Infinity : Infinity) : Number(t);
        return { kind: "number", from, to, parent: undefined, value: Number.isNaN(value) ? (parsePromqlDuration(t.replace(/^[+-]/, "")) ?? NaN) / 1000 : value, type: "scalar", labels: new Set() };
      }
      case "StringLiteral":
        return { kind: "string", from, to, parent: undefined, value: unquote(this.src(node)), type: "string", labels: null };
      case "VectorSelector":
        return this.selector(node);
      case "ParenExpr":
      case "AnchoredExpr":
      case "SmoothedExpr": {
        const inner = this.sub(this.exprChildren(node)[0], depth, from);
        return { kind: node.name === "ParenExpr" ? "paren" : "modifier", from, to, parent: undefined, expr: inner, type: inner.type, labels: inner.labels };
      }
      case "UnaryExpr": {
        const inner = this.operand(this.exprChildren(node)[0], depth, from, pending);
        if (inner.type !== "scalar" && inner.type !== "vector" && inner.type !== "unknown")
          this.typeError(from, `unary operator needs a scalar or instant vector, got ${describe(inner.type)}`);
        return { kind: "unary", from, to, parent: undefined, expr: inner, type: inner.type, labels: inner.labels };
      }
      case "OffsetExpr":
      case "StepInvariantExpr": {
        const modifier = { kind: node.name === "OffsetExpr" ? ("offset" as const) : ("at" as const), from, to };
        const innerNode = this.exprChildren(node)[0];
        // lezer's grammar reads `a - b offset 5m` as `(a - b) offset 5m`; Prometheus binds the
        // modifier to the nearest operand, `a - (b offset 5m)`. Rebuild it that way.
        if (innerNode && (innerNode.name === "BinaryExpr" || innerNode.name === "UnaryExpr")) return this.make(innerNode, depth, modifier);
        return this.modified(this.sub(innerNode, depth, from), modifier);
      }
      case "MatrixSelector": {
        const inner = this.sub(this.exprChildren(node)[0], depth, from);
        const range = this.range(this.child(node, "DurationExpr"));
        let core: Expr = inner;
        while (core.kind === "offset" || core.kind === "at") core = core.expr;
        if (core.kind !== "selector" && core.kind !== "unknown")
          this.typeError(from, `a range [${range.text}] can only follow a vector selector; use a subquery [${range.text}:] for expressions`);
        return { kind: "matrix", from, to, parent: undefined, expr: inner, range, type: "matrix", labels: inner.labels };
      }
      case "SubqueryExpr": {
        const inner = this.sub(this.exprChildren(node)[0], depth, from);
        if (inner.type !== "vector" && inner.type !== "unknown") this.typeError(from, `subquery needs an instant vector, got ${describe(inner.type)}`);
        const range = this.range(this.child(node, "DurationExpr"));
        return { kind: "subquery", from, to, parent: undefined, expr: inner, range, type: "matrix", labels: inner.labels };
      }
      case "FunctionCall":
        return this.call(node, depth);
      case "AggregateExpr":
        return this.aggregate(node, depth);
      case "BinaryExpr":
        return this.binary(node, depth, pending);
      default:
        return { kind: "unknown", from, to, parent: undefined, type: "unknown", labels: null };
    }
  }

  private range(node: SyntaxNode | null): Range {
    if (!node) return { text: "" };
    const raw = this.src(node).trim();
    const variable = this.ctx.durations.get(raw);
    if (variable) return { text: variable, variable };
    const ms = parsePromqlDuration(raw);
    return ms === undefined ? { text: raw } : { text: raw, ms };
  }

  private selector(node: SyntaxNode): SelectorNode {
    const id = this.child(node, "Identifier");
    let name = id ? this.src(id) : undefined;
    const matchers: Matcher[] = [];
    const list = this.child(node, "LabelMatchers");
    for (let c = list?.firstChild ?? null; c; c = c.nextSibling) {
      if (c.name === "QuotedLabelName") {
        name = unquote(this.src(c));
        continue;
      }
      if (c.name !== "UnquotedLabelMatcher" && c.name !== "QuotedLabelMatcher") continue;
      const labelNode = c.firstChild;
      const opNode = this.child(c, "MatchOp");
      const valueNode = this.child(c, "StringLiteral");
      if (!labelNode || !opNode || !valueNode) continue;
      const label = labelNode.name === "QuotedLabelName" ? unquote(this.src(labelNode)) : this.src(labelNode);
      const op = this.src(opNode) as Matcher["op"];
      const value = unquote(this.src(valueNode));
      if (label === "__name__" && op === "=") name = value;
      matchers.push({ label, op, value, from: c.from });
    }
    const labels = name === undefined ? null : this.ctx.selectorLabels({ name });
    return { kind: "selector", from: node.from, to: node.to, parent: undefined, name, matchers, type: "vector", labels };
  }

  private args(body: SyntaxNode | null, depth: number): Expr[] {
    return body ? this.exprChildren(body).map((c) => this.build(c, depth)) : [];
  }

  private call(node: SyntaxNode, depth: number): Expr {
    const fnNode = this.child(node, "FunctionIdentifier");
    const fn = fnNode ? this.src(fnNode) : "";
    const args = this.args(this.child(node, "FunctionCallBody"), depth);
    const sig = FUNCTIONS.get(fn);
    if (!sig) return { kind: "call", from: node.from, to: node.to, parent: undefined, fn, args, type: "unknown", labels: null };
    const min = sig.args.length - sig.optional;
    const max = sig.variadic ? Infinity : sig.args.length;
    if (args.length < min || args.length > max) {
      const expected = max === Infinity ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
      this.typeError(node.from, `${fn}() takes ${expected} argument(s), got ${args.length}`);
    }
    args.forEach((arg, i) => {
      const want = sig.args[Math.min(i, sig.args.length - 1)];
      if (want && i < max && !compatible(want, arg.type))
        this.typeError(arg.from, `${fn}() argument ${i + 1} must be ${describe(want)}, got ${describe(arg.type)}${hint(want, arg)}`);
    });
    return { kind: "call", from: node.from, to: node.to, parent: undefined, fn, args, type: sig.returns, labels: callLabels(fn, args) };
  }

  private aggregate(node: SyntaxNode, depth: number): AggregateNode {
    const opNode = this.child(node, "AggregateOp");
    const op = opNode ? this.src(opNode).toLowerCase() : "";
    const args = this.args(this.child(node, "FunctionCallBody"), depth);
    const modifier = this.child(node, "AggregateModifier");
    let grouping: Grouping | undefined;
    if (modifier) {
      const without = modifier.firstChild?.name === "Without";
      grouping = { without, labels: this.groupingLabels(this.child(modifier, "GroupingLabels")) };
    }
    const paramType = AGGREGATIONS.get(op);
    const wanted = paramType ? 2 : 1;
    if (args.length !== wanted)
      this.typeError(node.from, `${op} takes ${wanted === 2 ? "a parameter and a vector" : "one vector"}, got ${args.length} argument(s)`);
    const vectorArg = args[args.length - 1];
    if (paramType && args.length === 2 && !compatible(paramType, args[0]!.type))
      this.typeError(args[0]!.from, `${op} parameter must be ${describe(paramType)}, got ${describe(args[0]!.type)}`);
    if (vectorArg && !compatible("vector", vectorArg.type))
      this.typeError(vectorArg.from, `${op} needs an instant vector, got ${describe(vectorArg.type)}${hint("vector", vectorArg)}`);
    const inner = vectorArg?.labels ?? null;
    let labels: LabelSet;
    if (op === "topk" || op === "bottomk" || op === "limitk" || op === "limit_ratio") labels = inner;
    else if (!grouping) labels = new Set();
    else if (!grouping.without) labels = new Set(grouping.labels);
    else labels = inner && new Set([...inner].filter((l) => !grouping.labels.includes(l)));
    if (op === "count_values" && labels && args[0]?.kind === "string") labels = new Set([...labels, args[0].value]);
    return { kind: "aggregate", from: node.from, to: node.to, parent: undefined, op, args, grouping, type: "vector", labels };
  }

  private groupingLabels(node: SyntaxNode | null): string[] {
    const out: string[] = [];
    for (let c = node?.firstChild ?? null; c; c = c.nextSibling) {
      if (c.name === "LabelName") out.push(this.src(c));
      else if (c.name === "QuotedLabelName") out.push(unquote(this.src(c)));
    }
    return out;
  }

  private binary(node: SyntaxNode, depth: number, pending?: Modifier): Expr {
    const [l, r] = this.exprChildren(node);
    const lhs = this.sub(l, depth, node.from);
    const rhs = this.operand(r, depth, node.to, pending);
    let op = "";
    let bool = false;
    let matching: VectorMatching | undefined;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (EXPR_NODES.has(c.name) || c.name === "LineComment") continue;
      if (c.name === "BoolModifier") bool = true;
      else if (c.name === "MatchingModifierClause") matching = this.matching(c);
      else if (!op && !c.type.isError && c.name !== "FillModifier") op = this.src(c).toLowerCase();
    }
    const isComparison = COMPARISONS.has(op);
    const isSet = SET_OPERATORS.has(op);
    for (const side of [lhs, rhs])
      if (side.type === "matrix" || side.type === "string")
        this.typeError(side.from, `binary operator ${op} needs scalars or instant vectors, got ${describe(side.type)}${hint("vector", side)}`);
    if (bool && !isComparison) this.typeError(node.from, `bool modifier only applies to comparison operators, not ${op}`);
    const lt = lhs.type, rt = rhs.type;
    if (isSet && (lt === "scalar" || rt === "scalar")) this.typeError(node.from, `set operator ${op} needs instant vectors on both sides`);
    if (isComparison && !bool && lt === "scalar" && rt === "scalar")
      this.typeError(node.from, `comparisons between scalars need the bool modifier`);
    if (matching && (lt === "scalar" || rt === "scalar")) this.typeError(node.from, `vector matching (on/ignoring) needs vectors on both sides`);
    if (isSet && matching?.group) this.typeError(node.from, `group_${matching.group} cannot be used with set operator ${op}`);
    const type: ValueType = lt === "scalar" && rt === "scalar" ? "scalar" : lt === "unknown" || rt === "unknown" ? "unknown" : "vector";
    return { kind: "binary", from: node.from, to: node.to, parent: undefined, op, lhs, rhs, bool, matching, type, labels: binaryLabels(op, lhs, rhs, matching) };
  }

  private matching(node: SyntaxNode): VectorMatching {
    const groups: string[][] = [];
    let on = false;
    let group: "left" | "right" | undefined;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.name === "On") on = true;
      else if (c.name === "GroupLeft") group = "left";
      else if (c.name === "GroupRight") group = "right";
      else if (c.name === "GroupingLabels") groups.push(this.groupingLabels(c));
    }
    const m: VectorMatching = { on, labels: groups[0] ?? [], include: groups[1] ?? [] };
    return group ? { ...m, group } : m;
  }
}

function compatible(want: ValueType, got: ValueType): boolean {
  return got === "unknown" || want === got;
}

function describe(t: ValueType): string {
  return { scalar: "a scalar", vector: "an instant vector", matrix: "a range vector", string: "a string", unknown: "unknown" }[t];
}

function hint(want: ValueType, arg: Expr): string {
  if (want === "matrix" && arg.type === "vector") return " (add a range, e.g. [5m])";
  if (want === "vector" && arg.type === "matrix") return " (remove the range, or wrap it in rate()/..._over_time())";
  return "";
}

function callLabels(fn: string, args: readonly Expr[]): LabelSet {
  // The series argument carries the labels, not a leading parameter (quantile_over_time(0.5, m[1d])).
  const series = args.find((a) => a.type === "vector" || a.type === "matrix" || a.type === "unknown");
  const first = series ? series.labels : null;
  switch (fn) {
    case "time": case "pi": case "scalar": case "vector": case "start": case "end": case "range": case "step":
      return new Set();
    case "histogram_quantile": case "histogram_fraction": {
      const v = args[args.length - 1]?.labels ?? null;
      return v && new Set([...v].filter((l) => l !== "le"));
    }
    case "absent": case "absent_over_time": {
      // Labels come from the equality matchers of the selector.
      let s = args[0];
      while (s && (s.kind === "matrix" || s.kind === "paren")) s = s.expr;
      return s?.kind === "selector" ? new Set(s.matchers.filter((m) => m.op === "=").map((m) => m.label)) : new Set();
    }
    case "label_replace": case "label_join": {
      const target = args[1];
      return first && target?.kind === "string" ? new Set([...first, target.value]) : null;
    }
    default:
      return first;
  }
}

function binaryLabels(op: string, lhs: Expr, rhs: Expr, matching: VectorMatching | undefined): LabelSet {
  if (lhs.type === "scalar") return rhs.labels;
  if (rhs.type === "scalar") return lhs.labels;
  if (op === "or") return lhs.labels && rhs.labels ? new Set([...lhs.labels, ...rhs.labels]) : null;
  if (matching?.group === "right") return rhs.labels && new Set([...rhs.labels, ...matching.include]);
  if (matching?.group === "left") return lhs.labels && new Set([...lhs.labels, ...matching.include]);
  if (op === "and" || op === "unless" || !matching || !lhs.labels) return lhs.labels;
  // One-to-one matching (Prometheus resultMetric): `on` keeps only the matching labels,
  // `ignoring` drops them.
  const listed = new Set(matching.labels);
  return new Set([...lhs.labels].filter((label) => listed.has(label) === matching.on));
}
