// What verify reads (dashboards, rules, the catalogue as the script passes it in) and what it
// reports: one Result per panel target and per rule, the JSON shape of `--format json`.

import type { AnyMetric } from "../model/metric";

export type Status = "ok" | "empty" | "error";

/**
 * Why a result is empty (or errored). Stable identifiers; the README explains each.
 * Panels: every reason can apply. Rules: only those that mean the alert can never fire.
 */
export type Reason =
  | "metric-absent"
  | "label-missing"
  | "value-no-match"
  | "value-outside-catalogue"
  | "no-match-combination"
  | "too-sparse"
  | "stale"
  | "filtered"
  | "no-data"
  | "query-error"
  | "variable"
  | "rule-not-loaded"
  | "rule-differs"
  | "rule-unhealthy";

export interface Result {
  readonly kind: "panel" | "rule";
  /** Dashboard uid (panels); null for rules. */
  readonly dashboard: string | null;
  /** Panel title (panels); null for rules. */
  readonly panel: string | null;
  readonly refId: string | null;
  /** Alert or record name (rules); null for panels. */
  readonly rule: string | null;
  /** Rule group (rules); null for panels. */
  readonly group: string | null;
  readonly status: Status;
  /** Series the query returns: the range query for time series targets, else the instant one. */
  readonly series: number;
  readonly reason: Reason | null;
  /** What was found, in a sentence. */
  readonly detail: string | null;
  /** What to do about it. */
  readonly hint: string | null;
  /** Empty, but listed in --allow-empty / verify.allowEmpty: does not fail the run. */
  readonly allowed: boolean;
  /** Alerts only: firing or pending now, else inactive; null when unknown or a recording rule. */
  readonly alertState: "firing" | "pending" | "inactive" | null;
  /** The query as sent, variables substituted. */
  readonly query: string;
}

export interface PanelTarget {
  readonly dashboard: string;
  readonly dashboardTitle: string;
  readonly panel: string;
  readonly panelId: string;
  readonly refId: string;
  readonly expr: string;
  /** Grafana runs an instant query only (tables, instant stats). */
  readonly instantOnly: boolean;
  readonly legendLabels: readonly string[];
}

export interface RuleDef {
  readonly group: string;
  readonly file: string;
  readonly name: string;
  readonly kind: "alert" | "record";
  readonly expr: string;
}

export interface RuleGroupDef {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly RuleDef[];
}

/** The catalogue, as verify needs it (scripts/verify.ts passes catalogue/metrics.ts in). */
export type Catalogue = readonly AnyMetric[];

export type DriftKind = "label-undeclared" | "label-unseen" | "value-outside-catalogue" | "type-mismatch";

export interface Drift {
  readonly metric: string;
  readonly kind: DriftKind;
  readonly detail: string;
}

export interface AllowEmpty {
  /** `<dashboard uid>/<panel title>` or `<rule group>/<rule name>`; `*` as the second part for all. */
  readonly target: string;
  /** Why it may be empty; shown instead of the hint. */
  readonly reason?: string;
  /** Only when empty for one of these reasons (e.g. value-no-match, not metric-absent); default any. */
  readonly when?: readonly Reason[];
}

/** `npm run verify` settings in build.config.ts. */
export interface VerifyConfig {
  readonly allowEmpty: readonly AllowEmpty[];
}
