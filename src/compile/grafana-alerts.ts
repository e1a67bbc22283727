// Typed alert rule groups → Grafana-managed alert rule groups, one file per group, each the
// body of the provisioning API's `PUT /api/v1/provisioning/folder/:folderUid/rule-groups/:group`
// (fields from grafana-api.md "Alert rules").
//
// Query shape, and why it is not `threshold $B > 0`:
//   A  the alert's PromQL expression as an instant query. Like a Prometheus rule, the expression
//      already holds the comparison (`ratio > 0.05`), so every series A returns is firing.
//   B  reduce(last) of A: one number per series (instant queries already are, but reduce keeps the
//      rule valid if the query ever returns a range).
//   C  math `abs($B) >= 0`: 1 for every series B has, whatever its value (NaN excepted, which a
//      Prometheus comparison never returns). `$B > 0` would be wrong for "below" thresholds: a cache
//      hit ratio of exactly 0 is below 0.5, so `hitRatio < 0.5` returns it with value 0, and
//      `$B > 0` would keep that alert silent at the worst moment.
// noDataState is OK because an empty result is the normal "nothing is firing" state for such
// expressions; NoData would page constantly. Exporter-gone cases are covered by absent() alerts.
//
// Descriptions: in Grafana-managed alerts `$value` is a debug string of every query
// ("[ var='A' labels={...} value=0.07 ]"), not a number, so `{{ $value | humanize }}` from the
// shared templates is rewritten to `$values.B.Value`, the reduced value of the alert's quantity.
// Alerts that read recorded series (recording rules) need the PrometheusRule output deployed:
// Grafana queries the same Prometheus, it does not evaluate our recording rules itself.

import { createHash } from "node:crypto";
import { renderDescription, type AnyAlert, type RuleGroupDef } from "../kit/alert";
import { parseDuration } from "../model/duration";
import { ruleContext, type Duration } from "../kit/promql";
import type { Compiled, OutputFile } from "../model/output";
import type { Finding } from "../model/finding";

export interface GrafanaAlertOptions {
  /** uid of the Prometheus data source the queries run against. */
  readonly datasourceUid: string;
  /** Folder the rule groups live in; must be in the manifest's folders. */
  readonly folderUid: string;
  /** Cluster mode (build.config.ts `clusterLabel`). */
  readonly clusterLabel?: string;
}

const EXPR_DATASOURCE = "__expr__";
/** Grafana's scheduler evaluates every 10 s; group intervals must be a multiple (grafana-api.md). */
const SCHEDULER_INTERVAL_S = 10;
const DEFAULT_INTERVAL: Duration = "1m";
/** Instant query over the last 10 minutes: long enough for any rate window we use to have data. */
const QUERY_RANGE_S = 600;

export function durationSeconds(duration: Duration): number {
  const ms = parseDuration(duration);
  if (ms === undefined) throw new Error(`not a duration: ${duration}`);
  return ms / 1000;
}

/**
 * A uid that stays the same as long as the alert's name does, so renaming anything else keeps the
 * rule's history and silences: readable prefix from the name plus a hash against truncation clashes.
 */
export function alertRuleUid(alertName: string): string {
  const readable = alertName
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 31)
    .replace(/-$/, "");
  const hash = createHash("sha256").update(alertName).digest("hex").slice(0, 8);
  return `${readable}-${hash}`;
}

/** `$value` (Prometheus: the sample value) → `$values.B.Value` (Grafana: the reduced query value). */
export function grafanaValueTemplates(text: string): string {
  return text.replace(/\$value\b(?!s)/g, "$$values.B.Value");
}

export interface GrafanaQuery {
  readonly refId: string;
  readonly relativeTimeRange: { readonly from: number; readonly to: number };
  readonly datasourceUid: string;
  readonly model: Record<string, unknown>;
}

/** One Grafana-managed alert rule, as the provisioning API takes it. */
export interface GrafanaRule {
  readonly uid: string;
  readonly title: string;
  readonly folderUID: string;
  readonly ruleGroup: string;
  readonly condition: string;
  readonly data: readonly GrafanaQuery[];
  readonly for: Duration;
  readonly keep_firing_for?: Duration;
  readonly noDataState: "OK";
  readonly execErrState: "Error";
  readonly isPaused: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A rule group as every Grafana-managed output (provisioning files, operator) is compiled from. */
export interface GrafanaRuleGroup {
  readonly name: string;
  readonly interval: Duration;
  readonly rules: readonly GrafanaRule[];
}

function compileRule(alert: AnyAlert, group: RuleGroupDef, options: GrafanaAlertOptions): GrafanaRule {
  const expr = alert.expr.render(ruleContext(group.rateWindow, undefined, options.clusterLabel));
  const description = grafanaValueTemplates(renderDescription(alert, options.clusterLabel).text);
  const exprDatasource = { type: EXPR_DATASOURCE, uid: EXPR_DATASOURCE };
  return {
    uid: alertRuleUid(alert.name),
    title: alert.name,
    folderUID: options.folderUid,
    ruleGroup: group.name,
    condition: "C",
    data: [
      {
        refId: "A",
        relativeTimeRange: { from: QUERY_RANGE_S, to: 0 },
        datasourceUid: options.datasourceUid,
        model: {
          refId: "A",
          datasource: { type: "prometheus", uid: options.datasourceUid },
          expr,
          instant: true,
          range: false,
          intervalMs: 1000,
          maxDataPoints: 43200,
        },
      },
      {
        refId: "B",
        relativeTimeRange: { from: 0, to: 0 },
        datasourceUid: EXPR_DATASOURCE,
        model: { refId: "B", datasource: exprDatasource, type: "reduce", expression: "A", reducer: "last" },
      },
      {
        refId: "C",
        relativeTimeRange: { from: 0, to: 0 },
        datasourceUid: EXPR_DATASOURCE,
        model: { refId: "C", datasource: exprDatasource, type: "math", expression: "abs($B) >= 0" },
      },
    ],
    for: alert.for,
    // UNCONFIRMED field name (not in grafana-api.md; Grafana's provisioning model calls it keep_firing_for).
    ...(alert.keepFiringFor ? { keep_firing_for: alert.keepFiringFor } : {}),
    noDataState: "OK",
    execErrState: "Error",
    isPaused: false,
    // Same precedence as the PrometheusRule compiler: group labels, then the alert's, then severity.
    labels: { ...group.labels, ...alert.labels, severity: alert.severity },
    annotations: {
      summary: alert.summary,
      description,
      runbook_url: alert.runbookUrl,
      // Grafana links the alert to this panel in its UI.
      __dashboardUid__: alert.panel.dashboardUid,
      __panelId__: String(alert.panel.panelId),
    },
  };
}

export function compileGrafanaAlertGroups(groups: readonly RuleGroupDef[], options: GrafanaAlertOptions): Compiled & { groups: GrafanaRuleGroup[] } {
  const problems: Finding[] = [];
  const compiledGroups: GrafanaRuleGroup[] = [];
  const seenNames = new Map<string, string>();
  const seenUids = new Map<string, string>();
  const seenGroups = new Set<string>();
  const files: OutputFile[] = [];

  for (const group of groups) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._ -]*$/.test(group.name) || group.name.length > 190) {
      problems.push({ location: [group.name], message: "group name must be 1-190 characters of letters, digits, '.', '_', '-' or spaces (it is a file name and a URL segment)" });
      continue;
    }
    if (seenGroups.has(group.name)) problems.push({ location: [group.name], message: "group name is used twice" });
    seenGroups.add(group.name);
    const intervalDuration = group.interval ?? DEFAULT_INTERVAL;
    const interval = durationSeconds(intervalDuration);
    if (interval <= 0 || interval % SCHEDULER_INTERVAL_S !== 0) {
      problems.push({ location: [group.name], message: `interval ${group.interval} must be a positive multiple of ${SCHEDULER_INTERVAL_S}s for Grafana` });
    }
    const rules: GrafanaRule[] = [];
    for (const alert of group.alerts) {
      const where = [group.name, alert.name];
      if (alert.name.length < 1 || alert.name.length > 190) problems.push({ location: where, message: "alert name must be 1-190 characters (Grafana rule title)" });
      const other = seenNames.get(alert.name);
      if (other !== undefined) problems.push({ location: where, message: `alert name is also used in group "${other}"; uids derive from names, so names must be unique` });
      seenNames.set(alert.name, group.name);
      let rule: GrafanaRule;
      try {
        rule = compileRule(alert, group, options);
      } catch (error) {
        problems.push({ location: where, message: `cannot render rule: ${(error as Error).message}` });
        continue;
      }
      const uid = rule.uid;
      const clash = seenUids.get(uid);
      if (clash !== undefined && clash !== alert.name) problems.push({ location: where, message: `uid ${uid} clashes with alert "${clash}"` });
      seenUids.set(uid, alert.name);
      rules.push(rule);
    }
    compiledGroups.push({ name: group.name, interval: intervalDuration, rules });
    const body = { title: group.name, folderUid: options.folderUid, interval, rules };
    files.push({ path: `grafana/alert-rules/${group.name}.json`, content: JSON.stringify(body, null, 2) + "\n" });
  }
  return { files, problems, groups: compiledGroups };
}
