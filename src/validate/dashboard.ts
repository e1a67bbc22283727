// Checks compiled dashboards before anything is written: the JSON Schema generated from
// @grafana/schema, plus what the schema cannot say (ids, layout, units, datasource, queries).
// Returns every problem found, each naming its dashboard and panel.

import type { ErrorObject } from "ajv";
import validateSchema from "../../schema/dashboard.validate.js";
import { DATASOURCE_VARIABLE, GRID_COLUMNS, UID_PATTERN, type DashboardJson, type PanelJson } from "../model/dashboard";
import type { Problem } from "../model/output";

/** Grafana keeps a dashboard title in a 189-character column (migration "Update dashboard title length"). */
export const MAX_DASHBOARD_TITLE = 189;
/** Project rule: a longer panel title is cut off in the header of a third-width panel. */
export const MAX_PANEL_TITLE = 80;
/** Project bounds: a panel taller than this, or placed lower than this, is a typo. */
const MAX_PANEL_HEIGHT = 100;
const MAX_GRID_Y = 1000;

/** Grafana's own variables, always defined. */
const BUILTIN_VARIABLES = new Set(["__rate_interval", "__interval", "__range", "__auto", "__interval_ms", "__range_s", "__range_ms", "__dashboard", "__from", "__to"]);

// The validator is schema/dashboard.schema.json compiled ahead of time by
// scripts/generate-schema.ts. The schema allows additional properties: the foundation SDK
// emits variable fields (`auto`, `auto_min`, `auto_count`) the raw model does not declare,
// and Grafana keeps unknown fields. Every declared field is still type-checked.

function panelAt(dashboard: DashboardJson, path: string): string | undefined {
  const match = /^\/panels\/(\d+)/.exec(path);
  if (!match) return undefined;
  const panel = dashboard.panels[Number(match[1])];
  return panel ? `${panel.title || "(untitled)"} (id ${panel.id})` : undefined;
}

function schemaProblems(dashboard: DashboardJson): Problem[] {
  if (validateSchema(dashboard)) return [];
  return (validateSchema.errors ?? []).map((error: ErrorObject) => {
    const panel = panelAt(dashboard, error.instancePath);
    return {
      location: panel ? [dashboard.uid, panel] : [dashboard.uid],
      message: `schema: ${error.instancePath || "/"} ${error.message ?? "is invalid"}`,
    };
  });
}

function overlaps(a: PanelJson["gridPos"], b: PanelJson["gridPos"]): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

interface TargetJson {
  expr?: unknown;
  datasource?: { uid?: unknown };
}

function variableNames(dashboard: DashboardJson): Set<string> {
  const templating = dashboard.templating as { list?: { name: string }[] } | undefined;
  return new Set((templating?.list ?? []).map((v) => v.name));
}

/** `$name`, `${name}`, `${name:format}` and `[[name]]` references in a query. */
function referencedVariables(expr: string): string[] {
  return [...expr.matchAll(/\$\{([A-Za-z_]\w*)(?::\w+)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)\]\]/g)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

function gridProblem({ x, y, w, h }: PanelJson["gridPos"]): string | undefined {
  const shown = `gridPos {x: ${x}, y: ${y}, w: ${w}, h: ${h}}`;
  if (![x, y, w, h].every(Number.isInteger)) return `${shown} must be whole numbers`;
  if (w < 1 || h < 1 || x < 0 || y < 0 || x + w > GRID_COLUMNS) return `${shown} does not fit the ${GRID_COLUMNS}-column grid`;
  if (h > MAX_PANEL_HEIGHT || y > MAX_GRID_Y) return `${shown} is out of bounds (h at most ${MAX_PANEL_HEIGHT}, y at most ${MAX_GRID_Y})`;
  return undefined;
}

/** Literal φ arguments of histogram_quantile outside [0, 1]. */
function quantilesOutOfRange(expr: string): string[] {
  return [...expr.matchAll(/\bhistogram_quantile\s*\(\s*([-+]?[\d.]+(?:e[-+]?\d+)?)\s*,/gi)].map((m) => m[1]!).filter((phi) => !(Number(phi) >= 0 && Number(phi) <= 1));
}

function panelProblems(dashboard: DashboardJson, variables: Set<string>): Problem[] {
  const problems: Problem[] = [];
  const seenIds = new Map<number, string>();
  const seenTitles = new Map<string, number>();
  const at = (panel: PanelJson, message: string) => problems.push({ location: [dashboard.uid, panel.title || `panel id ${panel.id}`], message });

  for (const panel of dashboard.panels) {
    if (!panel.title?.trim()) at(panel, "panel has no title");
    if (!(typeof panel.description === "string" && panel.description.trim())) at(panel, "panel has no description");
    const defaults = (panel.fieldConfig as { defaults?: { unit?: string } } | undefined)?.defaults;
    if (!defaults?.unit) at(panel, "panel has no unit");

    if (panel.title?.length > MAX_PANEL_TITLE) at(panel, `panel title has ${panel.title.length} characters, at most ${MAX_PANEL_TITLE} allowed`);

    const earlier = seenIds.get(panel.id);
    if (earlier !== undefined) at(panel, `panel id ${panel.id} is already used by "${earlier}"`);
    seenIds.set(panel.id, panel.title);
    // Readers, alert links and Grafana's search tell panels apart by title.
    const sameTitle = seenTitles.get(panel.title);
    if (sameTitle !== undefined && panel.title) at(panel, `panel title is already used by panel id ${sameTitle} in this dashboard`);
    seenTitles.set(panel.title, panel.id);

    const grid = gridProblem(panel.gridPos);
    if (grid) at(panel, grid);

    const datasource = panel.datasource as { uid?: unknown } | undefined;
    if (datasource?.uid !== `\${${DATASOURCE_VARIABLE}}`) at(panel, `panel datasource must be the $${DATASOURCE_VARIABLE} variable`);

    const targets = (panel.targets ?? []) as TargetJson[];
    if (targets.length === 0) at(panel, "panel has no queries");
    targets.forEach((target, index) => {
      const name = `query ${String.fromCharCode(65 + index)}`;
      if (typeof target.expr !== "string" || !target.expr.trim()) at(panel, `${name} is empty`);
      if (target.datasource?.uid !== `\${${DATASOURCE_VARIABLE}}`) at(panel, `${name} datasource must be the $${DATASOURCE_VARIABLE} variable`);
      if (typeof target.expr === "string") {
        for (const phi of quantilesOutOfRange(target.expr)) at(panel, `${name}: histogram_quantile φ ${phi} is outside [0, 1] (Prometheus returns ±Inf)`);
        for (const variable of referencedVariables(target.expr)) {
          if (!variables.has(variable) && !BUILTIN_VARIABLES.has(variable)) at(panel, `${name} uses $${variable}, which the dashboard does not define`);
        }
      }
    });
  }

  dashboard.panels.forEach((a, i) => {
    for (const b of dashboard.panels.slice(i + 1)) {
      if (overlaps(a.gridPos, b.gridPos)) at(b, `overlaps panel "${a.title}"`);
    }
  });
  return problems;
}

/** Every problem of one dashboard. */
export function validateDashboard(dashboard: DashboardJson): Problem[] {
  const problems: Problem[] = [];
  if (!UID_PATTERN.test(dashboard.uid ?? "")) {
    problems.push({ location: [dashboard.uid || "(no uid)"], message: "uid must be 1-40 characters of [a-zA-Z0-9-_]" });
  }
  if (!dashboard.title?.trim()) problems.push({ location: [dashboard.uid], message: "dashboard has no title" });
  if (dashboard.title?.length > MAX_DASHBOARD_TITLE) {
    problems.push({ location: [dashboard.uid], message: `dashboard title has ${dashboard.title.length} characters, Grafana stores at most ${MAX_DASHBOARD_TITLE}` });
  }
  return [...problems, ...schemaProblems(dashboard), ...panelProblems(dashboard, variableNames(dashboard))];
}

/** Problems across dashboards: duplicate uids (Grafana would overwrite one with the other). */
export function validateDashboardSet(dashboards: readonly DashboardJson[]): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const dashboard of dashboards) {
    if (seen.has(dashboard.uid)) problems.push({ location: [dashboard.uid], message: `duplicate dashboard uid "${dashboard.uid}"` });
    seen.add(dashboard.uid);
  }
  return problems;
}
