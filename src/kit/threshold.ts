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
  /**
   * Cluster mode: values that differ per cluster (cluster label value → value); `value` holds for
   * every cluster not listed. Alerts compare each cluster with its own value; panels draw `value`.
   */
  readonly byCluster?: Readonly<Record<string, number>>;
}

/** A value that may differ per cluster: `default` for every cluster `byCluster` does not list. */
export interface PerCluster {
  readonly default: number;
  readonly byCluster: Readonly<Record<string, number>>;
}

function threshold(value: number | PerCluster, unit: GrafanaUnit, bad: Threshold["bad"]): Threshold {
  return typeof value === "number" ? { value, unit, bad } : { value: value.default, unit, bad, byCluster: value.byCluster };
}

export const above = (value: number | PerCluster, unit: GrafanaUnit): Threshold => threshold(value, unit, "above");
export const atLeast = (value: number | PerCluster, unit: GrafanaUnit): Threshold => threshold(value, unit, "atLeast");
export const below = (value: number | PerCluster, unit: GrafanaUnit): Threshold => threshold(value, unit, "below");

/** The PromQL comparison operator that means "breaches this threshold". */
export function comparisonOperator(threshold: Threshold): ">" | ">=" | "<" {
  return { above: ">", atLeast: ">=", below: "<" }[threshold.bad] as ">" | ">=" | "<";
}
