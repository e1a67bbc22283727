// What every PromQL rule receives: the parsed tree, flat node lists, and the lint settings.

import type { CatalogueIndex, SeriesKind } from "../catalogue";
import type { LintOptions } from "../types";
import type { Expr } from "./ast";
import type { ParsedQuery } from "./parse";

export type QueryMode = "dashboard" | "rule";

export interface QueryContext {
  readonly query: string;
  readonly parsed: ParsedQuery;
  readonly mode: QueryMode;
  /** Catalogue labels and names apply (the project's own files, or the strict profile). */
  readonly own: boolean;
  readonly options: LintOptions;
  readonly catalogue: CatalogueIndex;
  /** Counter or gauge, from the catalogue or `# TYPE` metadata only. */
  readonly kind: (name: string) => SeriesKind;
  /** Original source text of a node (variables restored), shortened for messages. */
  readonly text: (node: Expr) => string;
  /** 1-based column in the original query of an offset in the parsed text. */
  readonly column: (offset: number) => number;
}
