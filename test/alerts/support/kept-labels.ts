// Which labels a PromQL expression's result keeps, worked out from the parse tree (lezer-promql)
// and the metric catalogue. Used to check that `$labels.x` in a description can be filled.
// Covers the constructs the rules use; anything else throws, so a new construct is noticed.

import { parser } from "@prometheus-io/lezer-promql";
import type { SyntaxNode } from "@lezer/common";

/** Labels of a series name (metric or recorded series), or undefined when unknown. */
export type SeriesLabels = (name: string) => readonly string[] | undefined;

/** `undefined` stands for a scalar (a number literal). */
type Result = Set<string> | undefined;

export function keptLabels(expr: string, seriesLabels: SeriesLabels): Set<string> {
  const tree = parser.parse(expr);
  const top = tree.topNode.firstChild;
  if (!top) throw new Error(`empty expression: ${expr}`);
  const result = labelsOf(top, expr, seriesLabels);
  if (!result) throw new Error(`expression is a scalar: ${expr}`);
  return result;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const list: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) list.push(child);
  return list;
}

function text(node: SyntaxNode, source: string): string {
  return source.slice(node.from, node.to);
}

function groupingLabels(node: SyntaxNode | undefined, source: string): string[] {
  const grouping = node && children(node).find((c) => c.name === "GroupingLabels");
  return grouping ? children(grouping).filter((c) => c.name === "LabelName").map((c) => text(c, source)) : [];
}

const isExpr = (node: SyntaxNode) => !["FunctionIdentifier", "AggregateOp", "AggregateModifier", "MatchingModifierClause", "BoolModifier"].includes(node.name) && node.type.isError === false;

function labelsOf(node: SyntaxNode, source: string, seriesLabels: SeriesLabels): Result {
  const recurse = (n: SyntaxNode) => labelsOf(n, source, seriesLabels);
  switch (node.name) {
    case "NumberDurationLiteral":
    case "NumberLiteral":
      return undefined;
    case "ParenExpr":
      return recurse(children(node).find(isExpr)!);
    case "MatrixSelector":
      return recurse(children(node).find((c) => c.name === "VectorSelector")!);
    case "VectorSelector": {
      const name = text(children(node).find((c) => c.name === "Identifier")!, source);
      const labels = seriesLabels(name);
      if (!labels) throw new Error(`unknown series ${name}`);
      return new Set(labels);
    }
    case "AggregateExpr": {
      const op = text(children(node).find((c) => c.name === "AggregateOp")!, source);
      const modifier = children(node).find((c) => c.name === "AggregateModifier");
      const args = children(children(node).find((c) => c.name === "FunctionCallBody")!).filter(isExpr);
      const input = recurse(args[args.length - 1]!) ?? new Set<string>();
      if (op === "topk" || op === "bottomk") return input;
      if (!modifier) return new Set();
      const listed = groupingLabels(modifier, source);
      const without = children(modifier).some((c) => c.name === "Without");
      return new Set(without ? [...input].filter((l) => !listed.includes(l)) : listed);
    }
    case "FunctionCall": {
      const fn = text(children(node).find((c) => c.name === "FunctionIdentifier")!, source);
      const body = children(node).find((c) => c.name === "FunctionCallBody")!;
      const args = children(body).filter(isExpr);
      if (fn === "absent") return absentLabels(args[0]!, source);
      if (fn === "histogram_quantile") {
        const input = recurse(args[1]!) ?? new Set<string>();
        input.delete("le");
        return input;
      }
      if (fn === "label_replace" || fn === "label_join") {
        const input = recurse(args[0]!) ?? new Set<string>();
        input.add(JSON.parse(text(args[1]!, source)) as string);
        return input;
      }
      if (["rate", "irate", "increase", "delta", "deriv", "clamp_min", "clamp_max", "abs", "max_over_time", "min_over_time", "avg_over_time", "sum_over_time", "last_over_time"].includes(fn))
        return recurse(args[0]!);
      throw new Error(`kept-labels does not know function ${fn}`);
    }
    case "BinaryExpr":
      return binaryLabels(node, source, recurse);
    default:
      throw new Error(`kept-labels does not know ${node.name} in ${text(node, source)}`);
  }
}

/** `absent(x{a="b"})` has the labels of its equality matchers. */
function absentLabels(selector: SyntaxNode, source: string): Set<string> {
  const matchers = children(selector).find((c) => c.name === "LabelMatchers");
  const labels = new Set<string>();
  for (const matcher of matchers ? children(matchers) : []) {
    const parts = children(matcher);
    const op = parts.find((c) => c.name === "MatchOp");
    const name = parts.find((c) => c.name === "LabelName");
    if (op && name && text(op, source) === "=") labels.add(text(name, source));
  }
  return labels;
}

function binaryLabels(node: SyntaxNode, source: string, recurse: (n: SyntaxNode) => Result): Result {
  const parts = children(node);
  const operands = parts.filter(isExpr).filter((c) => !/^(And|Or|Unless|Add|Sub|Mul|Div|Mod|Pow|Atan2|Eql|Neq|Lss|Lte|Gtr|Gte|EqlSingle)$/.test(c.name));
  const op = parts.find((c) => /^(And|Or|Unless|Add|Sub|Mul|Div|Mod|Pow|Eql|Neq|Lss|Lte|Gtr|Gte)$/.test(c.name))!.name;
  const left = recurse(operands[0]!);
  const right = recurse(operands[1]!);
  if (op === "And" || op === "Unless") return left;
  if (op === "Or") return new Set([...(left ?? []), ...(right ?? [])]);
  if (!left || !right) return left ?? right;
  // Vector to vector, one-to-one: `on(...)` keeps those labels, `ignoring(...)` drops them.
  const matching = parts.find((c) => c.name === "MatchingModifierClause");
  if (!matching) return left;
  if (children(matching).some((c) => c.name === "GroupLeft" || c.name === "GroupRight")) throw new Error("group_left/right not supported");
  const listed = groupingLabels(matching, source);
  const on = children(matching).some((c) => c.name === "On");
  return new Set(on ? listed : [...left].filter((l) => !listed.includes(l)));
}
