// Checks compiled dashboards before anything is written: the JSON Schema generated from
// @grafana/schema, plus what the schema cannot say (ids, layout, units, datasource, queries).
// Returns every problem found, each naming its dashboard and panel.

import type { ErrorObject } from "ajv";
import validateSchema from "../../schema/dashboard.validate.js";
import { DATASOURCE_VARIABLE, GRID_COLUMNS, UID_PATTERN, type DashboardJson, type PanelJson } from "../model/dashboard";
import type { Problem } from "../model/output";

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

function panelProblems(dashboard: DashboardJson, variables: Set<string>): Problem[] {
  const problems: Problem[] = [];
  const seenIds = new Map<number, string>();
  const at = (panel: PanelJson, message: string) => problems.push({ location: [dashboard.uid, panel.title || `panel id ${panel.id}`], message });

  for (const panel of dashboard.panels) {
    if (!panel.title?.trim()) at(panel, "panel has no title");
    if (!(typeof panel.description === "string" && panel.description.trim())) at(panel, "panel has no description");
    const defaults = (panel.fieldConfig as { defaults?: { unit?: string } } | undefined)?.defaults;
    if (!defaults?.unit) at(panel, "panel has no unit");

    const earlier = seenIds.get(panel.id);
    if (earlier !== undefined) at(panel, `panel id ${panel.id} is already used by "${earlier}"`);
    seenIds.set(panel.id, panel.title);

    const { x, y, w, h } = panel.gridPos;
    if (w < 1 || h < 1 || x < 0 || y < 0 || x + w > GRID_COLUMNS) {
      at(panel, `gridPos {x: ${x}, y: ${y}, w: ${w}, h: ${h}} does not fit the ${GRID_COLUMNS}-column grid`);
    }

    const datasource = panel.datasource as { uid?: unknown } | undefined;
    if (datasource?.uid !== `\${${DATASOURCE_VARIABLE}}`) at(panel, `panel datasource must be the $${DATASOURCE_VARIABLE} variable`);

    const targets = (panel.targets ?? []) as TargetJson[];
    if (targets.length === 0) at(panel, "panel has no queries");
    targets.forEach((target, index) => {
      const name = `query ${String.fromCharCode(65 + index)}`;
      if (typeof target.expr !== "string" || !target.expr.trim()) at(panel, `${name} is empty`);
      if (target.datasource?.uid !== `\${${DATASOURCE_VARIABLE}}`) at(panel, `${name} datasource must be the $${DATASOURCE_VARIABLE} variable`);
      if (typeof target.expr === "string") {
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
