// Typed alert and recording rules. The expression is a typed vector, so the description can only
// template labels the expression really keeps. Two compilers read these definitions:
// src/compile/prometheus-rules.ts (PrometheusRule + rule files) and src/compile/grafana-alerts.ts.

import type { PanelRef } from "./dashboard";
import { comparisonOperator, type Threshold } from "./threshold";
import { formatNumber, gt, gte, lt, perClusterValue, renderLabelTemplate, selectorOf, type Duration, type LabelRefs, type Vector } from "./promql";

import type { AlertSeverity } from "../model/alert";
export { severities } from "../model/alert";
export type Severity = AlertSeverity;

export const defaultGrafanaUrl = "https://grafana.254carbon.com";
export const runbookBaseUrl = "https://github.com/254carbon/observability/blob/main/docs/runbooks.md";

/** The runbook section of an alert: docs/runbooks.md has one `## <AlertName>` heading each. */
export function runbookUrlFor(alertName: string): string {
  return `${runbookBaseUrl}#${alertName.toLowerCase()}`;
}

/** The panel link an alert carries, so the responder lands on the quantity that fired. */
export function dashboardUrlFor(panel: PanelRef, grafanaUrl: string = defaultGrafanaUrl): string {
  return `${grafanaUrl.replace(/\/+$/, "")}/d/${panel.dashboardUid}?viewPanel=${panel.panelId}`;
}

/** What every alert says; `AlertDef` adds the resolved runbook URL. */
interface AlertFields<L extends string> {
  /** CamelCase, at most 40 characters. */
  readonly name: string;
  /** The firing condition: a comparison against `threshold.value`, or an `absent()`. */
  readonly expr: Vector<L>;
  readonly for: Duration;
  /** Keeps the alert firing this long after the condition clears (damps flapping). */
  readonly keepFiringFor?: Duration;
  readonly severity: Severity;
  /** Plain text, capitalised, ending with a period; no templating. */
  readonly summary: string;
  /** Templated with the expression's labels. */
  readonly description: (labels: LabelRefs<L>) => string;
  /** The panel that shows the alert's quantity: `<dashboard>.ref.<panel key>`. */
  readonly panel: PanelRef;
  /** The shared constant the expression compares against, when there is one. */
  readonly threshold?: Threshold;
  /** Extra static labels (routing: team, component). Never templated with `$value`. */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * For "signal missing" guards: the metric source (`source.id` in the catalogue) whose absence the
   * alert reports. Compiled only where the deployment runs that source; elsewhere it would fire forever.
   */
  readonly guards?: string;
}

export interface AlertDef<L extends string> extends AlertFields<L> {
  /** The docs/runbooks.md section named after the alert, unless the definition gave another. */
  readonly runbookUrl: string;
}

/** An alert with its label set erased, so rules of different shapes fit in one group. */
export type AnyAlert = AlertDef<string>;

/** What `alert()` accepts: the runbook URL follows the convention unless given. */
export interface AlertInput<L extends string> extends AlertFields<L> {
  readonly runbookUrl?: string;
}

/** Checks the description against the expression's labels, fills defaults, then erases the labels. */
export function alert<L extends string>(def: AlertInput<L>): AnyAlert {
  const complete: AlertDef<L> = { ...def, runbookUrl: def.runbookUrl ?? runbookUrlFor(def.name) };
  return complete as unknown as AnyAlert;
}

/**
 * `quantity > threshold`, `>=` or `<`, by the threshold's bad side (src/kit/threshold.ts): the
 * alert and the panel that draws the threshold then cannot disagree on value or direction. A
 * threshold with values per cluster compares each cluster with its own (`on (cluster)`).
 */
export function breaches<L extends string>(quantity: Vector<L>, threshold: Threshold): Vector<L> {
  const compare = { ">": gt, ">=": gte, "<": lt }[comparisonOperator(threshold)];
  if (!threshold.byCluster) return compare(quantity, threshold.value);
  return compare(quantity, perClusterValue(threshold.value, threshold.byCluster), { on: [] });
}

// ---------------------------------------------------------------- recording rules

/** A recording rule: `record` follows `level:metric:operations`, e.g. `namespace_service:istio_requests:rate5m`. */
export interface RecordingDef<L extends string> {
  readonly record: string;
  readonly expr: Vector<L>;
  readonly labels?: Readonly<Record<string, string>>;
  /** The recorded series as a vector with the same labels, for queries that read it. */
  readonly series: Vector<L>;
}

export type AnyRecording = RecordingDef<string>;

/** Declares a recording rule; its `series` is the cheap stand-in for `expr` in other queries. */
export function recording<L extends string>(record: string, expr: Vector<L>, labels?: Readonly<Record<string, string>>): RecordingDef<L> {
  const series: Vector<L> = { kind: "vector", binary: false, render: (ctx) => selectorOf(record, ctx), reads: expr.reads };
  return { record, expr, labels, series };
}

// ---------------------------------------------------------------- groups

export interface RuleGroupDef {
  readonly name: string;
  /** The window `rate()` ranges render with in this group. */
  readonly rateWindow: Duration;
  readonly interval?: Duration;
  /** Static labels added to every rule of the group (e.g. `component`). Rule labels win. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Recording rules, evaluated before the alerts of the same group. */
  readonly recordings?: readonly AnyRecording[];
  readonly alerts: readonly AnyAlert[];
}

/** The groups as deployed: guards of sources the deployment does not run are left out. */
export function rulesForDeployment(groups: readonly RuleGroupDef[], deployed: Readonly<Record<string, boolean>>): RuleGroupDef[] {
  return groups.map((group) => ({ ...group, alerts: group.alerts.filter((a) => a.guards === undefined || deployed[a.guards] === true) }));
}

// ---------------------------------------------------------------- template helpers

/** Go-template snippets for `$value`, for descriptions only (never labels). */
export const value = {
  raw: "{{ $value }}",
  /** 0.123 → "12.3%". */
  percentage: "{{ $value | humanizePercentage }}",
  /** 15000 → "15k". */
  humanize: "{{ $value | humanize }}",
  /** Seconds → "1m 5s". */
  duration: "{{ $value | humanizeDuration }}",
  /** A plain number with a fixed number of decimals: 1234.56 → "1235" with 0. */
  fixed: (decimals: number): string => `{{ printf "%.${decimals}f" $value }}`,
} as const;

/** The alert template syntax for a label: `{{ $labels.x }}`. */
export const alertLabelFormat = (label: string): string => `{{ $labels.${label} }}`;

/** A threshold as people read it: "5%" for ratios, "10 req/s", "1000 ms"; "3 (b: 5)" per cluster. */
export function formatThreshold(threshold: Threshold): string {
  const perCluster = Object.entries(threshold.byCluster ?? {}).map(([cluster, v]) => `${cluster}: ${formatValue(v, threshold)}`);
  return formatValue(threshold.value, threshold) + (perCluster.length ? ` (${perCluster.join(", ")})` : "");
}

function formatValue(value: number, threshold: Threshold): string {
  switch (threshold.unit) {
    case "percentunit":
      return `${formatNumber(value * 100)}%`;
    case "reqps":
      return `${formatNumber(value)} req/s`;
    case "ms":
      return `${formatNumber(value)} ms`;
    default:
      return formatNumber(value);
  }
}

/**
 * The description as Prometheus templates it, and the labels it names. In cluster mode
 * (`clusterLabel`) it ends by naming the cluster, which every alert expression then keeps.
 */
export function renderDescription(def: AnyAlert, clusterLabel?: string): { text: string; labels: string[] } {
  const rendered = renderLabelTemplate(def.description, alertLabelFormat);
  if (!clusterLabel) return rendered;
  return { text: `${rendered.text} Cluster: ${alertLabelFormat(clusterLabel)}.`, labels: [...rendered.labels, clusterLabel] };
}
