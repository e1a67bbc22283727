// A small PromQL syntax tree built from lezer's concrete tree in one walk; rules read this
// instead of re-walking lezer nodes. Every node knows its parent, its value type and
// (where it can be known) the labels its result carries.

export type ValueType = "scalar" | "vector" | "matrix" | "string" | "unknown";

/** Labels of a result; null when they cannot be known (any selector outside the catalogue). */
export type LabelSet = ReadonlySet<string> | null;

export interface Range {
  /** Source text, sentinels restored (e.g. "5m", "$__rate_interval"). */
  readonly text: string;
  /** Milliseconds when the range is a literal duration. */
  readonly ms?: number;
  /** The Grafana variable the range came from, e.g. "$__rate_interval". */
  readonly variable?: string;
}

export interface Matcher {
  readonly label: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  /** Unquoted value. */
  readonly value: string;
  readonly from: number;
}

interface Base {
  readonly from: number;
  readonly to: number;
  /**
   * Set by the builder once the parent exists. Every node is created with this slot (undefined):
   * adding the property afterwards changed each node's hidden class and cost a third of the linter's time.
   */
  parent?: Expr;
  type: ValueType;
  labels: LabelSet;
}

export interface SelectorNode extends Base {
  readonly kind: "selector";
  readonly name?: string;
  readonly matchers: readonly Matcher[];
}
export interface MatrixNode extends Base {
  readonly kind: "matrix";
  readonly expr: Expr;
  readonly range: Range;
}
export interface SubqueryNode extends Base {
  readonly kind: "subquery";
  readonly expr: Expr;
  readonly range: Range;
}
export interface CallNode extends Base {
  readonly kind: "call";
  readonly fn: string;
  readonly args: readonly Expr[];
}
export interface Grouping {
  readonly without: boolean;
  readonly labels: readonly string[];
}
export interface AggregateNode extends Base {
  readonly kind: "aggregate";
  readonly op: string;
  /** Every argument as written; the vector is the last one (the first is the parameter). */
  readonly args: readonly Expr[];
  readonly grouping?: Grouping;
}
export interface VectorMatching {
  readonly on: boolean;
  readonly labels: readonly string[];
  readonly group?: "left" | "right";
  readonly include: readonly string[];
}
export interface BinaryNode extends Base {
  readonly kind: "binary";
  readonly op: string;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly bool: boolean;
  readonly matching?: VectorMatching;
}
/** Unary minus/plus, parentheses, offset, @, anchored, smoothed: one operand, same meaning. */
export interface WrapNode extends Base {
  readonly kind: "unary" | "paren" | "offset" | "at" | "modifier";
  readonly expr: Expr;
}
export interface NumberNode extends Base {
  readonly kind: "number";
  readonly value: number;
}
export interface StringNode extends Base {
  readonly kind: "string";
  readonly value: string;
}
/** Whatever could not be built (parse errors, nesting too deep). Rules ignore it. */
export interface UnknownNode extends Base {
  readonly kind: "unknown";
}

export type Expr =
  | SelectorNode
  | MatrixNode
  | SubqueryNode
  | CallNode
  | AggregateNode
  | BinaryNode
  | WrapNode
  | NumberNode
  | StringNode
  | UnknownNode;

export const COMPARISONS = new Set(["==", "!=", ">", "<", ">=", "<="]);
export const SET_OPERATORS = new Set(["and", "or", "unless"]);

/** The expression inside any parentheses. */
export function unwrapParens(expr: Expr): Expr {
  let e = expr;
  while (e.kind === "paren") e = e.expr;
  return e;
}

/** The nearest ancestor that is not a paren/offset/@/matrix/subquery wrapper. */
export function meaningfulParent(expr: Expr): Expr | undefined {
  let p = expr.parent;
  while (p && (p.kind === "paren" || p.kind === "offset" || p.kind === "at" || p.kind === "matrix" || p.kind === "subquery" || p.kind === "modifier"))
    p = p.parent;
  return p;
}
