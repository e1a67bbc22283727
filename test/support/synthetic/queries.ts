// Turns dashboard targets into queries a real Prometheus can run: Grafana variables get
// sensible values ($__rate_interval → 5m, $__range → 1h, a variable in a regex matcher → its allValue or .*,
// elsewhere its current value), and legends name the labels a panel needs.

import { collectPanels, dashboardVariables } from "../../../src/lint/dashboard";
import type { DashboardVariable } from "../../../src/lint/promql/variables";

const BUILTINS: Readonly<Record<string, string>> = {
  __rate_interval: "5m",
  __interval: "1m",
  __auto: "1m",
  __range: "1h",
  __interval_ms: "60000",
  __range_ms: "3600000",
  __range_s: "3600",
};

const VARIABLE = /\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]/g;
const MATCHER = /([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;

function single(variable: DashboardVariable | undefined): string | undefined {
  const v = variable?.current;
  return v?.length === 1 && v[0] && !v[0].startsWith("$__") ? v[0] : undefined;
}

export function executableQuery(expr: string, variables: readonly DashboardVariable[]): string {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const hasVar = (s: string) => /\$(\w|\{)|\[\[\w/.test(s);
  // Matchers first: a variable inside a matcher value decides the operator.
  const matchersDone = expr.replace(MATCHER, (whole, label: string, op: string, value: string) => {
    if (!hasVar(value)) return whole;
    const names = [...value.matchAll(VARIABLE)].map((m) => (m[1] ?? m[2] ?? m[3])!);
    if (op === "=" && names.length === 1 && single(byName.get(names[0]!)) !== undefined)
      return `${label}="${value.replace(VARIABLE, (_, a?: string, b?: string, c?: string) => single(byName.get((a ?? b ?? c)!))!)}"`;
    // "All": the variable's own allValue (ours is `.+`, which drops series lacking the label).
    if (op === "=" || op === "=~")
      return `${label}=~"${value.replace(VARIABLE, (_, a?: string, b?: string, c?: string) => byName.get((a ?? b ?? c)!)?.allValue ?? ".*")}"`;
    return `${label}!~"${value.replace(VARIABLE, "__no_such_value__")}"`;
  });
  return matchersDone.replace(VARIABLE, (whole, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    const builtin = BUILTINS[name];
    if (builtin) return builtin;
    const variable = byName.get(name);
    if (variable?.type === "interval") return single(variable) ?? "5m";
    return single(variable) ?? whole;
  });
}

/** Labels a legend such as "{{service}} {{ code }}" needs on each series. */
export function legendLabels(legendFormat: unknown): string[] {
  if (typeof legendFormat !== "string") return [];
  return [...legendFormat.matchAll(/\{\{\s*([a-zA-Z_]\w*)\s*\}\}/g)].map((m) => m[1]!);
}

export interface PanelTarget {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  readonly query: string;
  readonly legendLabels: readonly string[];
}

/** Every visible PromQL target of a dashboard, ready to run. */
export function panelTargets(dashboard: Record<string, unknown>): PanelTarget[] {
  const variables = dashboardVariables(dashboard);
  const title = String(dashboard.title ?? dashboard.uid ?? "dashboard");
  return collectPanels(dashboard).flatMap(({ panel }) => {
    const targets = Array.isArray(panel.targets) ? panel.targets : [];
    return targets.flatMap((t: unknown, i) => {
      if (typeof t !== "object" || t === null) return [];
      const target = t as Record<string, unknown>;
      if (typeof target.expr !== "string" || target.hide === true) return [];
      return [
        {
          dashboard: title,
          panel: String(panel.title ?? panel.id ?? "?"),
          refId: String(target.refId ?? `target ${i + 1}`),
          expr: target.expr,
          query: executableQuery(target.expr, variables),
          legendLabels: legendLabels(target.legendFormat),
        },
      ];
    });
  });
}
