// Grafana variables in a PromQL string, replaced before parsing (lezer has no `$` token).
// Follows grafana/dashboard-linter lint/variables.go: text inside quotes is left alone
// (`job=~"$job"` stays literal and regex checks skip it); elsewhere `$name`, `${name}`,
// `${name:format}` and `[[name]]` are replaced. Each duration variable gets its own sentinel
// duration, mapped back, so a rule can tell which variable a range came from.

export interface DashboardVariable {
  readonly name: string;
  readonly type: string;
  /** Current value(s); undefined when the dashboard does not say. */
  readonly current?: readonly string[];
  /** What "All" stands for (e.g. ".+"); Grafana's default is a regex of every value, so ".*". */
  readonly allValue?: string;
}

export interface Substitution {
  /** The query that goes to the parser. */
  readonly text: string;
  /** Sentinel duration text → the variable it stands for, e.g. "77777001ms" → "$__rate_interval". */
  readonly durations: ReadonlyMap<string, string>;
  /** Maps an offset in `text` back to the original query. */
  readonly toOriginal: (offset: number) => number;
}

/** Built-in duration variables, each with a sentinel nobody writes by hand. */
const BUILTIN_DURATIONS = ["__rate_interval", "__interval", "__range", "__auto"] as const;
const BUILTIN_NUMBERS: Readonly<Record<string, string>> = {
  __interval_ms: "60000",
  __range_ms: "3600000",
  __range_s: "3600",
  __from: "1700000000000",
  __to: "1700003600000",
};

/** Where substitution may have something to do: strings, comments, `$x`, `[[x]]`. */
const SPECIAL = /["'`#$[]/g;
const VARIABLE = /\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]/y;

/** A sentinel duration: digits no one types, ending in `ms` so lezer reads a duration. */
function sentinel(index: number): string {
  return `${77777000 + index}ms`;
}

interface Replacement {
  readonly from: number; // in the original
  readonly to: number;
  readonly outFrom: number; // in the result
  readonly outLength: number;
}

export function substituteVariables(query: string, variables: readonly DashboardVariable[] = []): Substitution {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const durations = new Map<string, string>();
  const sentinelOf = new Map<string, string>();
  const durationFor = (display: string): string => {
    let s = sentinelOf.get(display);
    if (!s) {
      s = sentinel(sentinelOf.size + 1);
      sentinelOf.set(display, s);
      durations.set(s, display);
    }
    return s;
  };

  const replacements: Replacement[] = [];
  let out = "";
  let i = 0;
  while (i < query.length) {
    // Plain text up to the next quote, comment, `$` or `[` is copied in one piece.
    SPECIAL.lastIndex = i;
    const next = SPECIAL.exec(query)?.index ?? query.length;
    out += query.slice(i, next);
    i = next;
    if (i === query.length) break;
    const ch = query[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      const end = endOfString(query, i);
      out += query.slice(i, end);
      i = end;
      continue;
    }
    if (ch === "#") {
      // A PromQL line comment runs to the end of the line; variables in it do not matter.
      const nl = query.indexOf("\n", i);
      const end = nl < 0 ? query.length : nl;
      out += query.slice(i, end);
      i = end;
      continue;
    }
    if (ch === "$" || (ch === "[" && query[i + 1] === "[")) {
      VARIABLE.lastIndex = i;
      const m = VARIABLE.exec(query);
      if (m) {
        const name = (m[1] ?? m[2] ?? m[3])!;
        const value = valueFor(name, byName.get(name), precedingToken(out), durationFor);
        replacements.push({ from: i, to: i + m[0].length, outFrom: out.length, outLength: value.length });
        out += value;
        i += m[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return { text: out, durations, toOriginal: mapBack(replacements) };
}

function valueFor(
  name: string,
  variable: DashboardVariable | undefined,
  before: string,
  durationFor: (display: string) => string,
): string {
  if ((BUILTIN_DURATIONS as readonly string[]).includes(name)) return durationFor(`$${name}`);
  const number = BUILTIN_NUMBERS[name];
  if (number !== undefined) return number;
  const current = variable?.current?.length === 1 ? variable.current[0] : undefined;
  const usable = current !== undefined && current !== "" && !current.startsWith("$__");
  if (variable?.type === "interval") return usable && /^\d+[a-z]+$/.test(current) ? current : durationFor(`$${name}`);
  if (usable) return current;
  // No single current value: a duration where one is expected, else a placeholder identifier.
  if (before === "[" || before === ":" || before === "offset") return durationFor(`$${name}`);
  return `__var_${name}`;
}

/** The last non-blank token before the variable, enough to tell a range or offset position. */
function precedingToken(text: string): string {
  const end = text.trimEnd(); // the whitespace \s matches
  return end.endsWith("[") ? "[" : end.endsWith(":") ? ":" : end.endsWith("offset") ? "offset" : "";
}

/** Index just past the string starting at `start`; the end of input when it is unterminated. */
export function endOfString(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\" && quote !== "`") {
      i += 2;
      continue;
    }
    if (c === quote) return i + 1;
    if (c === "\n" && quote !== "`") return i; // lezer ends a quoted string at a newline
    i++;
  }
  return text.length;
}

function mapBack(replacements: readonly Replacement[]): (offset: number) => number {
  return (offset) => {
    let shift = 0;
    for (const r of replacements) {
      if (offset < r.outFrom) break;
      if (offset < r.outFrom + r.outLength) return r.from;
      shift = r.to - (r.outFrom + r.outLength);
    }
    return offset + shift;
  };
}

/** Replaces sentinel durations in a snippet by the variable names they stand for. */
export function restoreVariables(snippet: string, durations: ReadonlyMap<string, string>): string {
  if (durations.size === 0) return snippet;
  return snippet.replace(/7777\d{4}ms/g, (s) => durations.get(s) ?? s);
}

/** True when a string holds a Grafana variable (`$x`, `${x}`, `[[x]]`); a trailing `$` anchor is not one. */
export function hasVariable(value: string): boolean {
  return /\$(\w|\{)|\[\[\w/.test(value);
}
