// Output: one finding per line (`file: a › b › c: rule-id: message`) or JSON, and exit codes.

import { formatFinding, type LintFinding } from "../model/finding";
import { escapeControl } from "../model/text";
import type { InputError, RunResult } from "./files";

export { formatFinding };

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** One line per error; a multi-line reason (a YAML error's code frame) continues indented. Control characters are escaped. */
export function formatInputError(e: InputError): string {
  const [first, ...rest] = e.reason.split("\n").map((l) => escapeControl(l.trimEnd()));
  return [`${escapeControl(e.file)}: cannot lint: ${first}`, ...rest.filter((l) => l.trim() !== "").map((l) => `    ${l}`)].join("\n");
}

/** The last line of text output: every count, input errors included. */
export function formatSummary(result: RunResult): string {
  const s = summarize(result.findings);
  return `${result.files} file(s): ${s.errors} error(s), ${s.warnings} warning(s), ${s.suppressed} suppressed, ${result.inputErrors.length} input error(s)`;
}

export interface Summary {
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
}

export function summarize(findings: readonly LintFinding[]): Summary {
  let errors = 0, warnings = 0, suppressed = 0;
  for (const f of findings) {
    if (f.suppressed !== undefined) suppressed++;
    else if (f.severity === "error") errors++;
    else warnings++;
  }
  return { errors, warnings, suppressed };
}

/**
 * 2 when any input could not be read; else 1 when an unsuppressed error remains (or, with
 * `strict`, a warning); else 0. Suppressed findings never fail the run.
 */
export function exitCode(result: RunResult, strict: boolean): number {
  if (result.inputErrors.length) return EXIT_USAGE;
  const s = summarize(result.findings);
  return s.errors > 0 || (strict && s.warnings > 0) ? EXIT_FINDINGS : EXIT_OK;
}

export function formatJson(result: RunResult): string {
  return JSON.stringify(
    {
      summary: { files: result.files, ...summarize(result.findings), inputErrors: result.inputErrors.length },
      inputErrors: result.inputErrors,
      findings: result.findings.map((f) => ({
        file: f.file,
        location: f.location,
        rule: f.rule,
        severity: f.severity,
        class: f.class,
        message: f.message,
        ...(f.suppressed !== undefined ? { suppressed: true, reason: f.suppressed } : { suppressed: false }),
      })),
    },
    null,
    2,
  );
}
