// What every PromQL rule receives: the parsed tree, flat node lists, and the lint settings.

import type { CatalogueIndex } from "../catalogue";
import type { ExprFinding, LintOptions, Severity } from "../types";
import type { Expr } from "./ast";
import type { ParsedQuery } from "./parse";

export type QueryMode = "dashboard" | "rule";

export interface QueryContext {
  readonly parsed: ParsedQuery;
  readonly mode: QueryMode;
  /** The project's own file: catalogue (known-metric) checks apply. */
  readonly own: boolean;
  readonly options: LintOptions;
  readonly catalogue: CatalogueIndex;
  /** Original source text of a node (variables restored), shortened for messages. */
  readonly text: (node: Expr) => string;
  readonly report: (rule: string, severity: Severity, message: string) => void;
}

export type PromQLRule = (ctx: QueryContext) => void;

export function collect(findings: ExprFinding[]): (rule: string, severity: Severity, message: string) => void {
  return (rule, severity, message) => findings.push({ rule, severity, message });
}
