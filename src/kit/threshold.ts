// A threshold: one boundary value that an alert compares against and a panel draws.

import type { GrafanaUnit } from "../model/grafana-units";

export interface Threshold {
  /** The boundary value, in the panel's unit. */
  readonly value: number;
  /** Grafana unit of `value` ("percentunit" for ratios 0..1). */
  readonly unit: GrafanaUnit;
  /**
   * Which side is bad. Grafana colours a step from its value upwards (`>=`), so counts that
   * are bad from 1 use "atLeast" (`>= 1`): 0 then stays green on the panel, exactly as the
   * alert stays silent. "above" (`>`) suits continuous quantities (ratios, rates, latencies).
   */
  readonly bad: "above" | "atLeast" | "below";
}

export const above = (value: number, unit: GrafanaUnit): Threshold => ({ value, unit, bad: "above" });
export const atLeast = (value: number, unit: GrafanaUnit): Threshold => ({ value, unit, bad: "atLeast" });
export const below = (value: number, unit: GrafanaUnit): Threshold => ({ value, unit, bad: "below" });

/** The PromQL comparison operator that means "breaches this threshold". */
export function comparisonOperator(threshold: Threshold): ">" | ">=" | "<" {
  return { above: ">", atLeast: ">=", below: "<" }[threshold.bad] as ">" | ">=" | "<";
}
