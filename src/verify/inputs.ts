// What gets verified: every visible PromQL target of the built dashboards and every rule of
// the built rule files. Reads JSON/YAML from out/ (or given objects) and nothing else.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readRuleGroups } from "../lint/rules-file";
import type { PanelTarget, RuleDef, RuleGroupDef } from "./types";
import type { Variable } from "./variables";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export class InputError extends Error {}

export interface DashboardInput {
  readonly uid: string;
  readonly title: string;
  readonly variables: readonly Variable[];
  readonly targets: readonly PanelTarget[];
}

export function variablesOf(dashboard: Json): Variable[] {
  const templating = isObject(dashboard.templating) ? dashboard.templating : {};
  return list(templating.list).filter(isObject).flatMap((v) => {
    const name = str(v.name);
    if (!name) return [];
    const value = isObject(v.current) ? v.current.value : undefined;
    const current = (Array.isArray(value) ? value : value === undefined || value === null || value === "" ? [] : [value]).map(String);
    const allValue = str(v.allValue);
    return [{ name, type: str(v.type) ?? "", multi: v.multi === true, includeAll: v.includeAll === true, current, ...(allValue ? { allValue } : {}) }];
  });
}

/** Panels at the top level and inside rows (collapsed rows keep theirs in `panels`). */
function panelsOf(dashboard: Json): Json[] {
  return list(dashboard.panels)
    .filter(isObject)
    .flatMap((p) => [p, ...(p.type === "row" ? list(p.panels).filter(isObject) : [])]);
}

export function readDashboard(json: unknown, file: string): DashboardInput {
  const dashboard = isObject(json) && isObject(json.dashboard) && !("panels" in json) ? json.dashboard : json;
  if (!isObject(dashboard)) throw new InputError(`${file}: not a dashboard (expected a JSON object)`);
  const uid = str(dashboard.uid);
  if (!uid) throw new InputError(`${file}: dashboard has no uid`);
  const title = str(dashboard.title) ?? uid;
  const targets = panelsOf(dashboard).flatMap((panel) =>
    list(panel.targets)
      .filter(isObject)
      .filter((t) => typeof t.expr === "string" && t.expr.trim() !== "" && t.hide !== true)
      .map((t, i): PanelTarget => ({
        dashboard: uid,
        panel: str(panel.title) ?? `panel ${str(panel.id) ?? "?"}`,
        refId: str(t.refId) ?? String.fromCharCode(65 + i),
        expr: String(t.expr),
        instantOnly: t.instant === true && t.range !== true,
        legendLabels: [...String(t.legendFormat ?? "").matchAll(/\{\{\s*([a-zA-Z_]\w*)\s*\}\}/g)].map((m) => m[1]!),
      })),
  );
  return { uid, title, variables: variablesOf(dashboard), targets };
}

export function readRuleFile(text: string, file: string): RuleGroupDef[] {
  let sources;
  try {
    sources = readRuleGroups(text, true);
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message}`);
  }
  return sources.flatMap((s) =>
    s.groups.filter(isObject).map((g) => {
      const name = str(g.name);
      if (!name) throw new InputError(`${file}: a rule group has no name`);
      const rules = list(g.rules)
        .filter(isObject)
        .flatMap((r): RuleDef[] => {
          const ruleName = str(r.alert) ?? str(r.record);
          if (!ruleName || typeof r.expr !== "string") return [];
          return [{ group: name, file, name: ruleName, kind: r.alert !== undefined ? "alert" : "record", expr: r.expr }];
        });
      return { name, file, rules };
    }),
  );
}

function filesIn(dir: string, pattern: RegExp): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => join(dir, f)) : [];
}

/** Dashboards of out/dashboards/*.json and rule groups of out/prometheus/*.yaml. */
export function readOut(outDir: string): { dashboards: DashboardInput[]; groups: RuleGroupDef[] } {
  const dashboardFiles = filesIn(join(outDir, "dashboards"), /\.json$/);
  const ruleFiles = filesIn(join(outDir, "prometheus"), /\.ya?ml$/);
  if (dashboardFiles.length + ruleFiles.length === 0)
    throw new InputError(`${outDir}: no dashboards/*.json or prometheus/*.yaml: run npm run build first`);
  const dashboards = dashboardFiles.map((file) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new InputError(`${file}: ${(e as Error).message}`);
    }
    return readDashboard(json, file);
  });
  const groups = ruleFiles.flatMap((file) => readRuleFile(readFileSync(file, "utf8"), file));
  return { dashboards, groups };
}
