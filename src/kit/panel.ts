// Panel kit: what a dashboard definition says about a panel, as plain typed data.
// The compiler (src/compile/dashboard.ts) turns it into Grafana JSON through the foundation SDK.

import type * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import type * as nodegraph from "@grafana/grafana-foundation-sdk/nodegraph";
import type * as piechart from "@grafana/grafana-foundation-sdk/piechart";
import type * as statSdk from "@grafana/grafana-foundation-sdk/stat";
import type * as tableSdk from "@grafana/grafana-foundation-sdk/table";
import type * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import type { GrafanaUnit } from "../model/grafana-units";
import type { AnyMetric } from "../model/metric";
import type { GridPos } from "../model/dashboard";
import type { Threshold } from "./threshold";
import { dashboardContext, renderLabelTemplate, type LabelRefs, type Vector } from "./promql";

/** One query of a panel, rendered for a dashboard. */
export interface Target {
  readonly expr: string;
  /** Grafana legend format, e.g. `{{destination_service_name}}`. */
  readonly legendFormat?: string;
  /** Labels the legend uses: the query must return series carrying them. */
  readonly legendLabels: readonly string[];
  /** Instant query (one value per series) instead of a range. */
  readonly instant: boolean;
  readonly format: "time_series" | "table";
  /** Overrides the panel's threshold for this query's series; `null`: not judged (neutral colour). */
  readonly threshold?: Threshold | null;
  /** Overrides the panel's unit for this query's series (a table: for its value column). */
  readonly unit?: GrafanaUnit;
  /** The catalogue metrics the query reads. */
  readonly reads: readonly AnyMetric[];
}

export interface QueryOptions<L extends string> {
  readonly legend?: (labels: LabelRefs<L>) => string;
  readonly instant?: boolean;
  /** "table" for table, node graph and other frame-shaped panels. */
  readonly format?: "time_series" | "table";
  /** For panels whose queries have different thresholds (e.g. a stat with several numbers). */
  readonly threshold?: Threshold | null;
  /** For panels whose queries measure different things (connections and requests/s, bytes and messages). */
  readonly unit?: GrafanaUnit;
}

/** A panel query. The legend can only name labels the expression keeps. */
export function query<L extends string>(expr: Vector<L>, options: QueryOptions<L> = {}): Target {
  const legend = options.legend && renderLabelTemplate(options.legend, (label) => `{{${label}}}`);
  return {
    expr: expr.render(dashboardContext),
    legendFormat: legend?.text,
    legendLabels: legend?.labels ?? [],
    instant: options.instant ?? false,
    format: options.format ?? "time_series",
    threshold: options.threshold,
    unit: options.unit,
    reads: expr.reads,
  };
}

/** What every panel must say. A missing unit or description is a type error. */
export interface PanelCommon {
  /** Grafana panel id; default derived from the panel's key (src/kit/dashboard.ts). Never reused. */
  readonly id?: number;
  readonly title: string;
  readonly description: string;
  /** Grafana unit id, e.g. "reqps", "percentunit", "ms", "bytes", "short" (src/model/grafana-units.ts). */
  readonly unit: GrafanaUnit;
  readonly targets: readonly Target[];
  /** The alert threshold this panel draws (a constant from catalogue/thresholds.ts). */
  readonly threshold?: Threshold;
  /** Width (1-24) and height in grid units; placed left to right by the layout. */
  readonly size?: { readonly w: number; readonly h: number };
  /** Explicit position, overriding the automatic layout. */
  readonly gridPos?: GridPos;
  /** Grafana field-name renames and hides for table-shaped data. */
  readonly columns?: { readonly rename?: Readonly<Record<string, string>>; readonly hide?: readonly string[] };
}

/** The foundation SDK builder of each panel kind. */
export interface PanelBuilders {
  readonly timeseries: timeseries.PanelBuilder;
  readonly stat: statSdk.PanelBuilder;
  readonly table: tableSdk.PanelBuilder;
  readonly piechart: piechart.PanelBuilder;
  readonly bargauge: bargauge.PanelBuilder;
  readonly nodegraph: nodegraph.PanelBuilder;
}

export type PanelKind = keyof PanelBuilders;

/**
 * Sets what the kit does not cover on the panel's SDK builder, after everything the kit set (so it
 * wins): any Grafana option, no kit change. Shared ones live in src/kit/presets.ts.
 */
export type Customize<K extends PanelKind> = (builder: PanelBuilders[K]) => void;

export type PanelOf<K extends PanelKind> = PanelCommon & {
  readonly kind: K;
  /** Applied in order, last of all. */
  readonly customize?: Customize<K> | readonly Customize<K>[];
};

export type PanelDef = { [K in PanelKind]: PanelOf<K> }[PanelKind];

const panel =
  <K extends PanelKind>(kind: K) =>
  (def: Omit<PanelOf<K>, "kind">): PanelOf<K> =>
    ({ ...def, kind }) as PanelOf<K>;

/** Lines over time: rates, ratios, latencies. */
export const timeSeries = panel("timeseries");
/** One big number per series, coloured by the threshold. */
export const stat = panel("stat");
/** Instant values per series as rows. */
export const table = panel("table");
/** Shares of a whole. */
export const pieChart = panel("piechart");
/** Horizontal bars per series, for rankings. */
export const barGauge = panel("bargauge");
/**
 * Service graph. Grafana's node graph builds its nodes from an edges frame alone when no
 * nodes frame is given; an edges frame needs fields named `id`, `source` and `target` (and an
 * optional numeric `mainstat`). The query must therefore return those as labels, as a table;
 * the compiler turns its value into a `mainstat` field, shown with the panel's unit.
 */
export const nodeGraph = panel("nodegraph");
