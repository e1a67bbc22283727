// Default lint settings: the given catalogue (the caller passes it in) and a 30 s scrape interval.

import type { AnyMetric } from "../model/metric";
import type { LintOptions } from "./types";

export const DEFAULT_SCRAPE_INTERVAL_MS = 30_000;

export function defaultOptions(catalogue: readonly AnyMetric[], overrides: Partial<LintOptions> = {}): LintOptions {
  return { catalogue, scrapeIntervalMs: DEFAULT_SCRAPE_INTERVAL_MS, recordedNames: new Set(), ...overrides };
}
