// The one shape for "something is wrong": lint findings, the build's checks of its own output
// and a compiler's refusal of a definition all use it.

import { escapeControl } from "./text";

export type Severity = "error" | "warning";
/** correctness: the query, rule or dashboard is wrong or will mislead; style: a house convention. */
export type RuleClass = "correctness" | "style";

/** Names a finding can be matched on by a suppression (title and uid, panel title and id, ...). */
export interface FindingScope {
  readonly dashboard?: readonly string[];
  readonly panel?: readonly string[];
  readonly group?: string;
  readonly rule?: string;
}

export interface Finding {
  /** Outermost first: dashboard › panel › target, or group › rule. */
  readonly location: readonly string[];
  readonly message: string;
  /** The file as given, or the output path a compiler would write. */
  readonly file?: string;
  /** Lint rule id; absent for a compiler's checks of its definitions. */
  readonly rule?: string;
  /** Absent means error. */
  readonly severity?: Severity;
  readonly class?: RuleClass;
  readonly scope?: FindingScope;
  /** Set when a lint.config.yaml exclusion matched: the reason it gives. */
  readonly suppressed?: string;
}

/** A finding from the linter: always placed in a file and attributed to a registry rule. */
export type LintFinding = Finding & { readonly file: string; readonly rule: string; readonly severity: Severity; readonly class: RuleClass };

export const isError = (f: Finding): boolean => (f.severity ?? "error") === "error" && f.suppressed === undefined;

/** One line of text output. Titles and messages come from files: control characters are escaped, so a title cannot start a line of its own (or forge a CI annotation such as `::error`). */
export function formatFinding(f: Finding): string {
  const where = [f.file, f.location.length ? f.location.join(" › ") : undefined].filter(Boolean).join(": ");
  const tags = [f.severity === "warning" ? "warning" : "", f.suppressed !== undefined ? `suppressed: ${f.suppressed}` : ""].filter(Boolean);
  return escapeControl(`${where ? `${where}: ` : ""}${f.rule ? `${f.rule}: ` : ""}${f.message}${tags.length ? ` (${tags.join("; ")})` : ""}`);
}
