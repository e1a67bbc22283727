// Shared shapes of the linter: what a finding is and what a lint run needs to know.

import type { AnyMetric } from "../model/metric";

export type Severity = "error" | "warning";

/** Names a finding can be matched on by a suppression (title and uid, panel title and id, ...). */
export interface FindingScope {
  readonly dashboard?: readonly string[];
  readonly panel?: readonly string[];
  readonly group?: string;
  readonly rule?: string;
}

export interface Finding {
  /** The file as given (or relative to the working directory). */
  readonly file: string;
  /** Outermost first: dashboard › panel › target, or group › rule. */
  readonly location: readonly string[];
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly scope?: FindingScope;
  /** Set when a lint.config.yaml exclusion matched: the reason it gives. */
  readonly suppressed?: string;
}

/** A finding before it is placed in a file (PromQL rules know only the expression). */
export interface ExprFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

export interface LintOptions {
  /** Metric catalogue used for counter/gauge typing and known-metric checks. */
  readonly catalogue: readonly AnyMetric[];
  /** Scrape interval in ms for rate-range-min (default 30 s). */
  readonly scrapeIntervalMs: number;
  /** Names produced by recording rules (known metrics for the project's own queries). */
  readonly recordedNames: ReadonlySet<string>;
}

/** A JSON object read from an input file. */
export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
