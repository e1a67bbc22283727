// Default lint settings: the project's catalogue, the whole registry and a 30 s scrape interval.

import { allMetrics } from "../../catalogue/metrics";
import { REGISTRY } from "./rules/index";
import type { LintOptions } from "./types";

export const DEFAULT_SCRAPE_INTERVAL_MS = 30_000;

export function defaultOptions(overrides: Partial<LintOptions> = {}): LintOptions {
  return { catalogue: allMetrics, metadata: new Map(), scrapeIntervalMs: DEFAULT_SCRAPE_INTERVAL_MS, recordedNames: new Set(), rules: REGISTRY, ...overrides };
}
