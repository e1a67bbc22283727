// Checks compiled dashboards against the JSON Schema generated from @grafana/schema, and the
// set of dashboards against each other. Everything else about a dashboard (ids, layout, units,
// datasource, queries) is a lint rule (src/lint/rules/dashboard), which the build runs on its output.

import type { ErrorObject } from "ajv";
import validateSchema from "../../schema/dashboard.validate.js";
import type { DashboardJson } from "../model/dashboard";
import type { Finding } from "../model/finding";

// The validator is schema/dashboard.schema.json compiled ahead of time by
// scripts/generate-schema.ts. The schema allows additional properties: the foundation SDK
// emits variable fields (`auto`, `auto_min`, `auto_count`) the raw model does not declare,
// and Grafana keeps unknown fields. Every declared field is still type-checked.

const fileOf = (dashboard: DashboardJson) => `dashboards/${dashboard.uid}.json`;

function panelAt(dashboard: DashboardJson, path: string): string | undefined {
  const match = /^\/panels\/(\d+)/.exec(path);
  if (!match) return undefined;
  const panel = dashboard.panels[Number(match[1])];
  return panel ? `${panel.title || "(untitled)"} (id ${panel.id})` : undefined;
}

/** Every schema problem of one dashboard. */
export function validateDashboard(dashboard: DashboardJson): Finding[] {
  if (validateSchema(dashboard)) return [];
  return (validateSchema.errors ?? []).map((error: ErrorObject) => {
    const panel = panelAt(dashboard, error.instancePath);
    return {
      file: fileOf(dashboard),
      location: panel ? [dashboard.uid, panel] : [dashboard.uid],
      message: `schema: ${error.instancePath || "/"} ${error.message ?? "is invalid"}`,
    };
  });
}

/** Problems across dashboards: duplicate uids (Grafana would overwrite one with the other). */
export function validateDashboardSet(dashboards: readonly DashboardJson[]): Finding[] {
  const seen = new Set<string>();
  const problems: Finding[] = [];
  for (const dashboard of dashboards) {
    if (seen.has(dashboard.uid)) problems.push({ file: fileOf(dashboard), location: [dashboard.uid], message: `duplicate dashboard uid "${dashboard.uid}"` });
    seen.add(dashboard.uid);
  }
  return problems;
}
