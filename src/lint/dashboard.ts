// Dashboard rules (after grafana/dashboard-linter and mixtool) and the PromQL of every target.
// Accepts this project's output and exported Grafana dashboards alike: panels nested in rows
// (collapsed rows keep theirs in `panels`), legacy `rows`, datasource as string or object,
// the `{dashboard, meta}` wrapper of the HTTP API.

import { lintQuery } from "./promql/lint";
import type { DashboardVariable } from "./promql/variables";
import { isObject, type Finding, type FindingScope, type Json, type LintOptions, type Severity } from "./types";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Panels that show no query results. */
const NON_QUERY_PANELS = new Set(["row", "text", "news", "dashlist", "alertlist", "annolist", "welcome", "gettingstarted", "nodeGraph-docs"]);
/** Panels that show numbers and so need a unit. */
const NUMERIC_PANELS = new Set(["timeseries", "graph", "stat", "gauge", "bargauge", "barchart"]);

interface PanelRef {
  readonly panel: Json;
  /** Panels sharing one layout: the top level, or one collapsed row. */
  readonly container: string;
}

export interface DashboardLintInput {
  readonly file: string;
  readonly own: boolean;
}

export function collectPanels(dashboard: Json): PanelRef[] {
  const out: PanelRef[] = [];
  for (const p of list(dashboard.panels)) {
    if (!isObject(p)) continue;
    out.push({ panel: p, container: "top" });
    if (p.type === "row") for (const c of list(p.panels)) if (isObject(c)) out.push({ panel: c, container: `row ${str(p.id) ?? str(p.title)}` });
  }
  for (const [i, row] of list(dashboard.rows).entries())
    if (isObject(row)) for (const c of list(row.panels)) if (isObject(c)) out.push({ panel: c, container: `legacy row ${i}` });
  return out;
}

export function dashboardVariables(dashboard: Json): DashboardVariable[] {
  const templating = isObject(dashboard.templating) ? dashboard.templating : {};
  return list(templating.list).filter(isObject).flatMap((v) => {
    const name = str(v.name);
    if (!name) return [];
    const value = isObject(v.current) ? v.current.value : undefined;
    const current = Array.isArray(value) ? value.map(String) : value === undefined || value === null ? undefined : [String(value)];
    const allValue = str(v.allValue);
    return [{ name, type: str(v.type) ?? "", ...(current ? { current } : {}), ...(allValue ? { allValue } : {}) }];
  });
}

/** The variable a datasource reference points to, e.g. "${datasource}" → "datasource". */
function datasourceVariable(ds: unknown): string | undefined {
  const ref = isObject(ds) ? str(ds.uid) : str(ds);
  const m = ref && /^\$\{?(\w+)(?::\w+)?\}?$/.exec(ref);
  return m ? m[1] : undefined;
}

function datasourceType(ds: unknown): string | undefined {
  return isObject(ds) ? str(ds.type) : undefined;
}

export function lintDashboard(input: unknown, where: DashboardLintInput, options: LintOptions): Finding[] {
  const findings: Finding[] = [];
  try {
    lintUnsafe(input, where, options, findings);
  } catch (e) {
    findings.push({ file: where.file, location: [], rule: "internal", severity: "error", message: `linter failed: ${(e as Error)?.message ?? String(e)}` });
  }
  return findings;
}

function lintUnsafe(input: unknown, where: DashboardLintInput, options: LintOptions, findings: Finding[]): void {
  const dashboard = isObject(input) && isObject(input.dashboard) && !("panels" in input) ? input.dashboard : input;
  const file = where.file;
  if (!isObject(dashboard)) {
    findings.push({ file, location: [], rule: "dashboard-shape", severity: "error", message: "not a dashboard: expected a JSON object" });
    return;
  }
  const uid = str(dashboard.uid);
  const title = str(dashboard.title) || uid || "(untitled dashboard)";
  const dashScope: FindingScope = { dashboard: [title, ...(uid ? [uid] : [])] };
  const add = (location: string[], rule: string, severity: Severity, message: string, scope: FindingScope = dashScope) =>
    findings.push({ file, location: [title, ...location], rule, severity, message, scope });

  if (!uid) add([], "dashboard-uid", "error", "dashboard has no uid: links and provisioning need a stable one");
  else if (uid.length > 40 || !/^[a-zA-Z0-9_-]+$/.test(uid))
    add([], "dashboard-uid", "error", `uid ${JSON.stringify(uid)} must be at most 40 characters of [a-zA-Z0-9-_]`);

  const variables = dashboardVariables(dashboard);
  const dsVariables = new Set(variables.filter((v) => v.type === "datasource").map((v) => v.name));
  if (dsVariables.size === 0)
    add([], "template-datasource", "error", "no datasource variable: add a templating variable of type datasource (query: prometheus) so the dashboard works on any Prometheus");

  const templating = isObject(dashboard.templating) ? dashboard.templating : {};
  for (const v of list(templating.list).filter(isObject)) {
    if (v.type === "query" && v.refresh !== 2)
      add([`variable ${str(v.name) ?? "?"}`], "template-on-time-change-reload", "warning", `query variable should refresh on time range change (refresh: 2), has ${JSON.stringify(v.refresh ?? null)}`);
    if (v.type === "query" && v.datasource !== undefined && dsVariables.size && !dsVariables.has(datasourceVariable(v.datasource) ?? ""))
      add([`variable ${str(v.name) ?? "?"}`], "panel-datasource", "error", "query variable does not use the datasource variable");
  }

  const panels = collectPanels(dashboard);
  const seenIds = new Map<string, string>();
  const boxes = new Map<string, { x: number; y: number; w: number; h: number; name: string }[]>();
  for (const [index, { panel, container }] of panels.entries()) {
    const type = str(panel.type) ?? "";
    const id = str(panel.id);
    const panelTitle = str(panel.title);
    const name = panelTitle || (id ? `panel ${id}` : `panel #${index + 1}`);
    const scope: FindingScope = { ...dashScope, panel: [name, ...(id ? [id] : [])] };
    const addPanel = (rule: string, severity: Severity, message: string, extra: string[] = []) => add([name, ...extra], rule, severity, message, scope);

    if (id === undefined) addPanel("panel-id-unique", "error", "panel has no id");
    else if (seenIds.has(id)) addPanel("panel-id-unique", "error", `panel id ${id} is also used by ${seenIds.get(id)}`);
    else seenIds.set(id, name);

    const g = isObject(panel.gridPos) ? panel.gridPos : undefined;
    if (g) {
      const [x, y, w, h] = [g.x, g.y, g.w, g.h].map((n) => (typeof n === "number" ? n : NaN)) as [number, number, number, number];
      if (![x, y, w, h].every(Number.isFinite) || x < 0 || y < 0 || w <= 0 || h <= 0) addPanel("panel-gridpos", "error", `gridPos ${JSON.stringify(g)} needs non-negative x, y and positive w, h`);
      else if (x + w > 24) addPanel("panel-gridpos", "error", `gridPos x ${x} + w ${w} goes past the 24 columns`);
      else {
        const same = boxes.get(container) ?? [];
        const clash = same.find((b) => x < b.x + b.w && b.x < x + w && y < b.y + b.h && b.y < y + h);
        if (clash) addPanel("panel-gridpos", "error", `overlaps ${clash.name} (${JSON.stringify(g)})`);
        same.push({ x, y, w, h, name });
        boxes.set(container, same);
      }
    } else if (type !== "row" || container === "top") addPanel("panel-gridpos", "error", "panel has no gridPos");

    if (NON_QUERY_PANELS.has(type)) continue;
    if (!panelTitle?.trim()) addPanel("panel-title-description", "error", "panel has no title");
    if (!str(panel.description)?.trim()) addPanel("panel-title-description", "error", "panel has no description: say what it shows and what to do about it");

    if (NUMERIC_PANELS.has(type)) {
      const defaults = isObject(panel.fieldConfig) && isObject(panel.fieldConfig.defaults) ? panel.fieldConfig.defaults : {};
      const legacy = list(panel.yaxes).filter(isObject)[0];
      const unit = str(defaults.unit) || (legacy ? str(legacy.format) : undefined);
      if (!unit) addPanel("panel-units", "error", `${type} panel has no unit (fieldConfig.defaults.unit)`);
    }

    const targets = list(panel.targets);
    if (targets.length === 0) {
      addPanel("panel-no-targets", "error", "panel has no queries");
      continue;
    }
    const panelDs = panel.datasource;
    const panelDsVar = datasourceVariable(panelDs);
    const mixed = isObject(panelDs) ? panelDs.uid === "-- Mixed --" : panelDs === "-- Mixed --";
    if (dsVariables.size && !mixed && !(panelDsVar && dsVariables.has(panelDsVar)))
      addPanel("panel-datasource", "error", `panel datasource ${JSON.stringify(panelDs ?? null)} is not the datasource variable ($${[...dsVariables][0]})`);

    for (const [ti, target] of targets.entries()) {
      if (!isObject(target)) continue;
      const refId = str(target.refId) || `target ${ti + 1}`;
      const targetDs = target.datasource;
      if (targetDs !== undefined && targetDs !== null && dsVariables.size) {
        const v = datasourceVariable(targetDs);
        if (!(v && dsVariables.has(v))) addPanel("panel-datasource", "error", `target datasource ${JSON.stringify(targetDs)} is not the datasource variable`, [refId]);
      }
      const dsType = datasourceType(targetDs) ?? datasourceType(panelDs);
      if (dsType && dsType !== "prometheus" && dsType !== "datasource") continue;
      const expr = target.expr;
      if (expr === undefined) {
        if (!dsType || dsType === "prometheus") addPanel("panel-no-targets", "error", "target has no expr", [refId]);
        continue;
      }
      if (typeof expr !== "string") {
        addPanel("syntax", "error", `expr must be a string, got ${typeof expr}`, [refId]);
        continue;
      }
      if (target.hide === true) continue;
      for (const f of lintQuery(expr, { mode: "dashboard", own: where.own, variables }, options).findings) addPanel(f.rule, f.severity, f.message, [refId]);
    }
  }
}
