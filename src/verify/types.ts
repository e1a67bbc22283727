// What verify reads (dashboards, rules, the catalogue as the script passes it in) and what it
// reports: one Result per panel target and per rule, the JSON shape of `--format json`.

import type { AnyMetric } from "../model/metric";
import type { Reason } from "../model/verify";

export type { AllowEmpty, Reason, VerifyConfig } from "../model/verify";

export type Status = "ok" | "empty" | "error";

export type AlertState = "firing" | "pending" | "inactive";

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
  /** Alerts only: firing or pending now (in any cluster), else inactive; null when unknown or a recording rule. */
  readonly alertState: AlertState | null;
  /** The query as sent, variables substituted. */
  readonly query: string;
  /**
   * Cluster mode: the same panel target or rule per cluster found in the store (the series of
   * the query above split by the cluster label); null otherwise.
   */
  readonly clusters: readonly ClusterResult[] | null;
}

/**
 * One panel target or rule in one cluster. Panels: does that cluster's view show data, and if
 * not, why. Rules: "empty" when an input of the expression has no series in that cluster (the
 * rule can never fire or record there), and the alert's state there.
 */
export interface ClusterResult {
  readonly cluster: string;
  readonly status: "ok" | "empty";
  /** The series of this cluster: for an alert, those meeting its condition now (before `for`). */
  readonly series: number;
  /** Alerts only: firing or pending in this cluster now, else inactive; null when unknown, for a recording rule or a panel. */
  readonly alertState: AlertState | null;
  readonly reason: Reason | null;
  readonly detail: string | null;
  readonly hint: string | null;
}

export interface PanelTarget {
  readonly dashboard: string;
  readonly panel: string;
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

/** "unchecked": a query for the metric failed (its message is the detail). */
export type DriftKind = "label-undeclared" | "label-unseen" | "value-outside-catalogue" | "type-mismatch" | "unchecked";

export interface Drift {
  readonly metric: string;
  readonly kind: DriftKind;
  readonly detail: string;
}
