// Default lint settings: the given catalogue (the caller passes it in), the whole registry and a
// 30 s scrape interval.

import type { AnyMetric } from "../model/metric";
import { REGISTRY } from "./rules/index";
import type { LintOptions } from "./rule";

export const DEFAULT_SCRAPE_INTERVAL_MS = 30_000;

export function defaultOptions(catalogue: readonly AnyMetric[], overrides: Partial<LintOptions> = {}): LintOptions {
  return { catalogue, metadata: new Map(), scrapeIntervalMs: DEFAULT_SCRAPE_INTERVAL_MS, recordedNames: new Set(), rules: REGISTRY, ...overrides };
}
