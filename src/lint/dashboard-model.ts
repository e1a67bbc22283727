// A dashboard as the dashboard rules see it: exported Grafana JSON and this project's output
// alike. Panels nested in rows (collapsed rows keep theirs in `panels`), legacy `rows`, the
// datasource as a string or an object, the `{dashboard, meta}` wrapper of the HTTP API.

import { defaultGridPos } from "@grafana/schema";
import type { FindingScope } from "../model/finding";
import type { DashboardVariable } from "./promql/variables";
import { isObject, type Json } from "./types";

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Panels that show no query results. */
export const NON_QUERY_PANELS = new Set(["row", "text", "news", "dashlist", "alertlist", "annolist", "welcome", "gettingstarted", "nodeGraph-docs"]);

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface PanelInfo {
  readonly panel: Json;
  /** Panels sharing one layout: the top level, or one collapsed row. */
  readonly container: string;
  readonly type: string;
  readonly id?: string;
  readonly title?: string;
  /** Title, else `panel <id>`, else `panel #<n>`. */
  readonly name: string;
  readonly scope: FindingScope;
  /** gridPos with Grafana's defaults for missing fields; undefined without a gridPos. */
  readonly box?: Box;
  /** Raw gridPos fields that are present but not numbers. */
  readonly badGrid: readonly string[];
}

export interface DashboardContext {
  /** False when the input is not a JSON object: only rules of stage "input" run. */
  readonly isDashboard: boolean;
  readonly dashboard: Json;
  readonly uid?: string;
  readonly title: string;
  readonly scope: FindingScope;
  /** templating.list entries that are objects. */
  readonly variableDefs: readonly Json[];
  readonly variables: readonly DashboardVariable[];
  readonly dsVariables: ReadonlySet<string>;
  readonly panels: readonly PanelInfo[];
}

export function unwrapDashboard(input: unknown): unknown {
  return isObject(input) && isObject(input.dashboard) && !("panels" in input) ? input.dashboard : input;
}

export function collectPanels(dashboard: Json): { panel: Json; container: string }[] {
  const out: { panel: Json; container: string }[] = [];
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
  return variableDefs(dashboard).flatMap((v) => {
    const name = str(v.name);
    if (!name) return [];
    const value = isObject(v.current) ? v.current.value : undefined;
    const current = Array.isArray(value) ? value.map(String) : value === undefined || value === null ? undefined : [String(value)];
    const allValue = str(v.allValue);
    return [{ name, type: str(v.type) ?? "", ...(current ? { current } : {}), ...(allValue ? { allValue } : {}) }];
  });
}

function variableDefs(dashboard: Json): Json[] {
  const templating = isObject(dashboard.templating) ? dashboard.templating : {};
  return list(templating.list).filter(isObject);
}

/** The variable a datasource reference points to, e.g. "${datasource}" → "datasource". */
export function datasourceVariable(ds: unknown): string | undefined {
  const ref = isObject(ds) ? str(ds.uid) : str(ds);
  const m = ref && /^\$\{?(\w+)(?::\w+)?\}?$/.exec(ref);
  return m ? m[1] : undefined;
}

export function datasourceType(ds: unknown): string | undefined {
  return isObject(ds) ? str(ds.type) : undefined;
}

const GRID_FIELDS = ["x", "y", "w", "h"] as const;

/** Grafana fills missing gridPos fields from its schema's defaults (x and y 0). */
function gridBox(gridPos: Json): { box?: Box; bad: string[] } {
  const bad = GRID_FIELDS.filter((k) => gridPos[k] !== undefined && typeof gridPos[k] !== "number");
  if (bad.length) return { bad };
  const value = (k: (typeof GRID_FIELDS)[number]): number => {
    const v = gridPos[k];
    return typeof v === "number" ? v : (defaultGridPos[k] ?? 0);
  };
  return { box: { x: value("x"), y: value("y"), w: value("w"), h: value("h") }, bad };
}

export function dashboardContext(input: unknown): DashboardContext {
  const raw = unwrapDashboard(input);
  const isDashboard = isObject(raw);
  const dashboard = isDashboard ? raw : {};
  const uid = str(dashboard.uid) || undefined;
  const title = str(dashboard.title) || uid || "(untitled dashboard)";
  const scope: FindingScope = { dashboard: [title, ...(uid ? [uid] : [])] };
  const variables = dashboardVariables(dashboard);
  const panels = collectPanels(dashboard).map(({ panel, container }, index): PanelInfo => {
    const id = str(panel.id);
    const title = str(panel.title);
    const name = title || (id ? `panel ${id}` : `panel #${index + 1}`);
    const grid = isObject(panel.gridPos) ? gridBox(panel.gridPos) : { bad: [] };
    return {
      panel,
      container,
      type: str(panel.type) ?? "",
      ...(id !== undefined ? { id } : {}),
      ...(title !== undefined ? { title } : {}),
      name,
      scope: { ...scope, panel: [name, ...(id ? [id] : [])] },
      ...(grid.box ? { box: grid.box } : {}),
      badGrid: grid.bad,
    };
  });
  return {
    isDashboard,
    dashboard,
    ...(uid ? { uid } : {}),
    title,
    scope,
    variableDefs: variableDefs(dashboard),
    variables,
    dsVariables: new Set(variables.filter((v) => v.type === "datasource").map((v) => v.name)),
    panels,
  };
}

export interface QueryTarget {
  readonly target: Json;
  readonly refId: string;
  /** The PromQL text; undefined when the target has none (or not a string). */
  readonly expr?: string;
  /** True when the target is a Prometheus query (by datasource type, or untyped). */
  readonly prometheus: boolean;
}

/** The targets of a query panel, each with its refId and whether it is PromQL. */
export function queryTargets(info: PanelInfo): QueryTarget[] {
  const panelDs = info.panel.datasource;
  return list(info.panel.targets).flatMap((target, i) => {
    if (!isObject(target)) return [];
    const dsType = datasourceType(target.datasource) ?? datasourceType(panelDs);
    const prometheus = !dsType || dsType === "prometheus" || dsType === "datasource";
    return [{ target, refId: str(target.refId) || `target ${i + 1}`, ...(typeof target.expr === "string" ? { expr: target.expr } : {}), prometheus }];
  });
}
