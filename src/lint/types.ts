// What a lint run needs to know, and the JSON object helpers the rules share.

import type { AnyMetric } from "../model/metric";
import type { LintRule } from "./rule";

export type { Finding, FindingScope, LintFinding, RuleClass, Severity } from "../model/finding";

/** A metric type as `# TYPE` metadata declares it. */
export type MetadataType = "counter" | "gauge" | "histogram" | "summary" | "gaugehistogram" | "info" | "stateset" | "unknown" | "untyped";

export interface LintOptions {
  /** Metric catalogue used for counter/gauge typing and known-metric checks. */
  readonly catalogue: readonly AnyMetric[];
  /** Metric family → type, from `# TYPE` lines (--metadata). */
  readonly metadata: ReadonlyMap<string, MetadataType>;
  /** Scrape interval in ms for rate-range-min (default 30 s). */
  readonly scrapeIntervalMs: number;
  /** Names produced by recording rules (known metrics for the project's own queries). */
  readonly recordedNames: ReadonlySet<string>;
  /** The rules to run: the registry, or a subset in tests. */
  readonly rules: readonly LintRule[];
}

/** A JSON object read from an input file. */
export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
