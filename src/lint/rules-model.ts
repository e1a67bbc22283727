// A rule group and a rule as the rule-file rules see them: plain Prometheus rule files and
// PrometheusRule resources alike, values not yet trusted to have their types.

import type { Expr } from "./promql/ast";
import { isObject, type Json } from "./types";

export interface GroupContext {
  /** False when the group is not a mapping: only rules of stage "input" run. */
  readonly isGroup: boolean;
  readonly group: Json;
  /** Its name, or `group #n`. */
  readonly name: string;
  /** Names of the groups before it in the same file. */
  readonly earlier: ReadonlySet<string>;
}

export interface RuleContext {
  /** False when the rule is not a mapping: only rules of stage "input" run. */
  readonly isRule: boolean;
  readonly rule: Json;
  /** Alert or record name, or `rule #n`. */
  readonly name: string;
  readonly alert?: string;
  readonly record?: string;
  /** Labels and annotations when they are mappings, else empty. */
  readonly labels: Json;
  readonly annotations: Json;
  /** The expression's tree, when it parsed completely. */
  readonly root?: Expr;
}

export function groupContext(group: unknown, index: number, earlier: ReadonlySet<string>): GroupContext {
  const g = isObject(group) ? group : {};
  const name = typeof g.name === "string" && g.name ? g.name : `group #${index + 1}`;
  return { isGroup: isObject(group), group: g, name, earlier };
}

export function ruleContext(rule: unknown, index: number, root: Expr | undefined): RuleContext {
  const r = isObject(rule) ? rule : {};
  const alert = typeof r.alert === "string" ? r.alert : undefined;
  const record = typeof r.record === "string" ? r.record : undefined;
  return {
    isRule: isObject(rule),
    rule: r,
    name: alert ?? record ?? `rule #${index + 1}`,
    ...(alert !== undefined ? { alert } : {}),
    ...(record !== undefined ? { record } : {}),
    labels: isObject(r.labels) ? r.labels : {},
    annotations: isObject(r.annotations) ? r.annotations : {},
    ...(root ? { root } : {}),
  };
}
