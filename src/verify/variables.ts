// Grafana's variable interpolation for Prometheus queries, as its data source does it
// (public/app/plugins/datasource/prometheus: interpolateQueryExpr): a multi-value or
// include-All variable is regex-escaped and joined `(a|b)`, "All" is the variable's allValue
// (Grafana's default, every option, is approximated by `.*`), anything else is its value.
// Built-in intervals follow Grafana's formulas for the chosen range and scrape interval.

export interface Variable {
  readonly name: string;
  readonly type: string;
  readonly multi: boolean;
  readonly includeAll: boolean;
  readonly allValue?: string;
  /** Current value(s) as saved in the dashboard; `$__all` stands for All. */
  readonly current: readonly string[];
}

export interface Timing {
  readonly rangeS: number;
  readonly scrapeIntervalS: number;
}

/** Grafana's $__interval: range over max data points, never below the scrape interval. */
export function intervalSeconds(t: Timing, maxDataPoints = 1000): number {
  return Math.max(t.scrapeIntervalS, Math.ceil(t.rangeS / maxDataPoints));
}

/** Grafana's $__rate_interval: max($__interval + scrape interval, 4 × scrape interval). */
export function rateIntervalSeconds(t: Timing): number {
  return Math.max(intervalSeconds(t) + t.scrapeIntervalS, 4 * t.scrapeIntervalS);
}

/** Whole seconds as a Prometheus duration, largest units first: 3600 → "1h", 514 → "8m34s". */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  const parts: [number, string][] = [[Math.floor(seconds / 3600), "h"], [Math.floor((seconds % 3600) / 60), "m"], [seconds % 60, "s"]];
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join("");
}

const REFERENCE = /\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]/g;

/** Grafana's prometheusSpecialRegexEscape: regex metacharacters escaped for a PromQL string. */
function regexEscape(value: string): string {
  return value.replace(/\\/g, "\\\\\\\\").replace(/[$^*{}[\]'+?.()|]/g, "\\\\$&");
}

export class UnresolvedVariable extends Error {}

export function builtins(t: Timing, now: number): Record<string, string> {
  const interval = intervalSeconds(t);
  return {
    __rate_interval: formatDuration(rateIntervalSeconds(t)),
    __interval: formatDuration(interval),
    __interval_ms: String(interval * 1000),
    __range: formatDuration(t.rangeS),
    __range_s: String(t.rangeS),
    __range_ms: String(t.rangeS * 1000),
    __from: String((now - t.rangeS) * 1000),
    __to: String(now * 1000),
  };
}

/**
 * Replaces every variable reference in `expr`. `overrides` are --var values (name → values).
 * Throws UnresolvedVariable naming a dashboard variable that has no value and no All.
 */
export function interpolate(
  expr: string,
  variables: readonly Variable[],
  overrides: ReadonlyMap<string, readonly string[]>,
  builtin: Readonly<Record<string, string>>,
): string {
  const byName = new Map(variables.map((v) => [v.name, v]));
  return expr.replace(REFERENCE, (whole, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    const fixed = builtin[name];
    if (fixed !== undefined) return fixed;
    const variable = byName.get(name);
    const override = overrides.get(name);
    // Like Grafana, a reference to no variable stays as written (label_replace's "$1").
    if (!variable && !override) return whole;
    const values = override ?? variable?.current ?? [];
    const regex = variable ? variable.multi || variable.includeAll : values.length > 1;
    if (values.length === 0 || values.includes("$__all")) {
      if (!variable?.includeAll) throw new UnresolvedVariable(`$${name} has no value: pass --var ${name}=VALUE`);
      return variable.allValue ?? ".*";
    }
    if (!regex) return values[0]!;
    return values.length === 1 ? regexEscape(values[0]!) : `(${values.map(regexEscape).join("|")})`;
  });
}
