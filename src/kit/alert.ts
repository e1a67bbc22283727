// Typed alert rules. The expression is a typed vector, so the description can only
// template labels the expression really keeps.

import type { Threshold } from "../../catalogue/thresholds";
import type { Duration, LabelRefs, Vector } from "./promql";

export type Severity = "critical" | "warning" | "info";

/** The dashboard panel that shows the alert's quantity (`/d/<uid>?viewPanel=<id>`). */
export interface PanelRef {
  readonly dashboardUid: string;
  readonly panelId: number;
}

export interface AlertDef<L extends string> {
  /** CamelCase, at most 40 characters. */
  readonly name: string;
  /** The firing condition: a comparison against `threshold.value`, or an `absent()`. */
  readonly expr: Vector<L>;
  readonly for: Duration;
  readonly severity: Severity;
  /** Plain text, capitalised, ending with a period; no templating. */
  readonly summary: string;
  /** Templated with the expression's labels. */
  readonly description: (labels: LabelRefs<L>) => string;
  readonly runbookUrl: string;
  readonly panel: PanelRef;
  /** The shared constant the expression compares against, when there is one. */
  readonly threshold?: Threshold;
}

/** An alert with its label set erased, so rules of different shapes fit in one group. */
export type AnyAlert = AlertDef<string>;

/** Checks the description against the expression's labels, then erases them. */
export function alert<L extends string>(def: AlertDef<L>): AnyAlert {
  return def as unknown as AnyAlert;
}

export interface RuleGroupDef {
  readonly name: string;
  /** The window `rate()` ranges render with in this group. */
  readonly rateWindow: Duration;
  readonly interval?: Duration;
  readonly alerts: readonly AnyAlert[];
}
