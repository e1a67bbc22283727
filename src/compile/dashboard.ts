// Compiles a dashboard definition into Grafana dashboard JSON (schemaVersion 42, the v1
// model that the sidecar, /api/dashboards/db and Grafana 10-12 accept) via the foundation SDK.

import * as sdk from "@grafana/grafana-foundation-sdk/dashboard";
import * as common from "@grafana/grafana-foundation-sdk/common";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import { DataqueryBuilder, PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as piechart from "@grafana/grafana-foundation-sdk/piechart";
import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as nodegraph from "@grafana/grafana-foundation-sdk/nodegraph";
import type { Threshold } from "../kit/threshold";
import type { DashboardDef, PlacedPanel } from "../kit/dashboard";
import { CLUSTER_VARIABLE, clusterDashboardContext } from "../kit/promql";
import type { PanelBuilders, PanelCommon, PanelDef, PanelKind, PanelOf, Target } from "../kit/panel";
import { DATASOURCE_VARIABLE, GRID_COLUMNS, type DashboardJson, type GridPos } from "../model/dashboard";

const datasource: common.DataSourceRef = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

const DEFAULT_SIZE = { w: 12, h: 8 } as const;

/**
 * Places panels left to right, wrapping to a new line when the next one does not fit in 24
 * columns; a line is as tall as its tallest panel. Explicit `gridPos` values are kept as given.
 */
export function layout(panels: readonly PanelDef[]): GridPos[] {
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  return panels.map((panel) => {
    if (panel.gridPos) return panel.gridPos;
    const { w, h } = panel.size ?? DEFAULT_SIZE;
    if (x + w > GRID_COLUMNS) {
      x = 0;
      y += lineHeight;
      lineHeight = 0;
    }
    const pos = { x, y, w, h };
    x += w;
    lineHeight = Math.max(lineHeight, h);
    return pos;
  });
}

function thresholdSteps(threshold: Threshold | undefined): sdk.ThresholdsConfigBuilder {
  const [base, beyond] = threshold?.bad === "below" ? ["red", "green"] : ["green", "red"];
  // Grafana's base step has value null ("from -infinity"); the SDK types it as number.
  const steps: sdk.Threshold[] = [{ value: null as unknown as number, color: threshold ? base : "green" }];
  if (threshold) steps.push({ value: threshold.value, color: beyond });
  return new sdk.ThresholdsConfigBuilder().mode(sdk.ThresholdsMode.Absolute).steps(steps);
}

const refId = (index: number) => String.fromCharCode(65 + index);

/**
 * The name of a table query's value column. Grafana's Prometheus data source names it `Value`,
 * or `Value #<refId>` when the panel has several table queries (transformDFToTable in
 * packages/grafana-prometheus/src/result_transformer.ts of grafana/grafana-prometheus-datasource).
 */
export const tableValueColumn = (panel: Pick<PanelCommon, "targets">, index: number): string => (panel.targets.length > 1 ? `Value #${refId(index)}` : "Value");

function targetBuilder(target: Target, index: number): DataqueryBuilder {
  const builder = new DataqueryBuilder()
    .refId(refId(index))
    .datasource(datasource)
    .expr(target.expr)
    .format(target.format === "table" ? PromQueryFormat.Table : PromQueryFormat.TimeSeries);
  if (target.legendFormat) builder.legendFormat(target.legendFormat);
  return target.instant ? builder.instant() : builder.range();
}

/**
 * Node graph edges need a numeric field really named `mainstat`: the node graph looks fields
 * up by name, and organize/rename only set a display name. calculateField creates one.
 */
const MAINSTAT = "mainstat";
const nodeGraphMainStat: sdk.DataTransformerConfig = {
  id: "calculateField",
  options: { mode: "reduceRow", reduce: { reducer: "sum", include: ["Value"] }, alias: MAINSTAT, replaceFields: false },
};

/** Tables of several instant queries are joined on their labels, then columns renamed/hidden. */
function transformations(panel: Pick<PanelDef, "kind" | "columns" | "targets">): sdk.DataTransformerConfig[] {
  const result: sdk.DataTransformerConfig[] = [];
  if (panel.kind === "table" && panel.targets.length > 1) result.push({ id: "merge", options: {} });
  if (panel.kind === "nodegraph") result.push(nodeGraphMainStat);
  const hide = [...(panel.columns?.hide ?? []), ...(panel.kind === "nodegraph" ? ["Value"] : [])];
  if (panel.columns || hide.length) {
    const hidden = Object.fromEntries(hide.map((name) => [name, true]));
    result.push({ id: "organize", options: { renameByName: panel.columns?.rename ?? {}, excludeByName: hidden } });
  }
  return result;
}

const legend = (placement: common.LegendPlacement) =>
  new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(placement);

const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false);

/** Per-query settings: its own threshold (or a neutral colour when it is not judged) and unit. */
function queryOverride(target: Target): sdk.DynamicConfigValue[] {
  const properties: sdk.DynamicConfigValue[] = [];
  if (target.threshold === null) properties.push({ id: "color", value: { mode: "fixed", fixedColor: "blue" } });
  else if (target.threshold) properties.push({ id: "thresholds", value: thresholdSteps(target.threshold).build() });
  if (target.unit) properties.push({ id: "unit", value: target.unit });
  return properties;
}

/**
 * Where a query's override applies: its frames (by refId), or in a table its value column,
 * by the name the column is shown with (merged tables no longer carry refIds).
 */
function overrideMatcher(panel: PanelCommon & { readonly kind: PanelKind }, index: number): sdk.MatcherConfig {
  if (panel.kind !== "table") return { id: "byFrameRefID", options: refId(index) };
  const column = tableValueColumn(panel, index);
  return { id: "byName", options: panel.columns?.rename?.[column] ?? column };
}

/**
 * The panel's description, plus a note for every metric it reads that nothing emits yet
 * (derived from the catalogue's `pending`, so no panel can forget to say it).
 */
function panelDescription(panel: Pick<PanelCommon, "description" | "targets">): string {
  const pending = [...new Set(panel.targets.flatMap((t) => t.reads))].filter((m) => m.source.pending);
  const notes = pending.map((m) => `No data yet: nothing emits ${m.name} until ${m.source.pending}.`);
  return [panel.description, ...notes].join(" ");
}

type PlacedPanelOf<K extends PanelKind> = PanelOf<K> & { readonly id: number };

/** The fields every kind shares, then the definition's `customize`, last so it wins. */
function finish<K extends PanelKind>(panel: PlacedPanelOf<K>, b: PanelBuilders[K], gridPos: GridPos): PanelBuilders[K] {
  const shared: PanelBuilders[PanelKind] = b;
  shared.id(panel.id).title(panel.title).description(panelDescription(panel)).datasource(datasource).gridPos(gridPos).targets(panel.targets.map(targetBuilder));
  // The SDK's node graph builder has no field config; compileDashboard adds the unit.
  if (shared instanceof nodegraph.PanelBuilder) shared.edges(new nodegraph.EdgeOptionsBuilder().mainStatUnit(panel.unit));
  else {
    shared.unit(panel.unit).thresholds(thresholdSteps(panel.threshold));
    panel.targets.forEach((target, index) => {
      const properties = queryOverride(target);
      if (properties.length) shared.withOverride({ matcher: overrideMatcher(panel, index), properties });
    });
  }
  const steps = transformations(panel);
  if (steps.length) shared.transformations(steps);
  for (const customize of [panel.customize ?? []].flat()) customize(b);
  return b;
}

/** The kit's settings for each kind, then `finish`. */
function panelBuilder(panel: PlacedPanel, gridPos: GridPos): cog.Builder<sdk.Panel> {
  switch (panel.kind) {
    case "timeseries": {
      const b = new timeseries.PanelBuilder()
        .legend(legend(common.LegendPlacement.Bottom))
        .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
        .fillOpacity(10)
        .drawStyle(common.GraphDrawStyle.Line)
        .thresholdsStyle(
          new common.GraphThresholdsStyleConfigBuilder().mode(panel.threshold ? common.GraphThresholdsStyleMode.Dashed : common.GraphThresholdsStyleMode.Off),
        );
      return finish(panel, b, gridPos);
    }
    case "stat": {
      const b = new stat.PanelBuilder().reduceOptions(lastValue()).colorMode(common.BigValueColorMode.Background).graphMode(common.BigValueGraphMode.Area);
      return finish(panel, b, gridPos);
    }
    case "table":
      return finish(panel, new table.PanelBuilder().showHeader(true).cellHeight(common.TableCellHeight.Sm), gridPos);
    case "piechart": {
      const b = new piechart.PanelBuilder()
        .pieType(piechart.PieChartType.Donut)
        .reduceOptions(lastValue())
        .legend(new piechart.PieChartLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Right).values([piechart.PieChartLegendValues.Percent]));
      return finish(panel, b, gridPos);
    }
    case "bargauge": {
      const b = new bargauge.PanelBuilder()
        .reduceOptions(lastValue())
        .displayMode(common.BarGaugeDisplayMode.Gradient)
        .orientation(common.VizOrientation.Horizontal)
        .min(0);
      return finish(panel, b, gridPos);
    }
    case "nodegraph":
      return finish(panel, new nodegraph.PanelBuilder(), gridPos);
  }
}

// "All" is `.+`, not `.*`: series lacking the label (e.g. Kafka's broker-wide totals without
// `topic`) must not join per-label sums.
function variables(def: DashboardDef, clusterLabel: string | undefined): cog.Builder<sdk.VariableModel>[] {
  const datasourceVariable = new sdk.DatasourceVariableBuilder(DATASOURCE_VARIABLE).label("Data source").type("prometheus");
  // Cluster mode: `$cluster` first, listing every cluster that has scrape targets.
  const cluster = clusterLabel ? [{ name: CLUSTER_VARIABLE, label: "Cluster", query: `label_values(up, ${clusterLabel})` }] : [];
  const filters = [...cluster, ...def.variables].map((v) =>
    new sdk.QueryVariableBuilder(v.name)
      .label(v.label)
      .datasource(datasource)
      .query(v.query)
      .refresh(sdk.VariableRefresh.OnTimeRangeChanged)
      .sort(sdk.VariableSort.AlphabeticalAsc)
      .multi(true)
      .includeAll(true)
      .allValue(".+")
      .current({ text: "All", value: "$__all" }),
  );
  return [datasourceVariable, ...filters];
}

/**
 * A target rendered per cluster; with "All" clusters the same service in two must not share a
 * legend, so the legend names the cluster unless the definition's legend already does.
 */
function perCluster(target: Target, clusterLabel: string): Target {
  const expr = target.render(clusterDashboardContext(clusterLabel));
  const named = !target.legendFormat || target.legendLabels.includes(clusterLabel);
  return { ...target, expr, ...(named ? {} : { legendFormat: `{{${clusterLabel}}} ${target.legendFormat}` }) };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The names Grafana shows for a target's series in `cluster`: its legend with the cluster filled in, any other label free. */
function clusterSeriesName(legendFormat: string, clusterLabel: string, cluster: string): string {
  const parts = legendFormat.split(/\{\{\s*(\w+)\s*\}\}/);
  const pattern = parts.map((part, i) => (i % 2 === 0 ? escapeRegex(part) : part === clusterLabel ? escapeRegex(cluster) : ".*")).join("");
  return `/^${pattern}$/`;
}

/**
 * Cluster mode: a threshold with values per cluster (Kafka brokers expected in b) is drawn on
 * each listed cluster's series with that cluster's value, as the alert compares it; the rest keep
 * the default. Overrides later in the list win in Grafana, so these follow the per-query ones.
 * Series are matched by their legend, which cluster mode always gives the cluster.
 */
function clusterThresholdOverrides(panel: PanelDef, clusterLabel: string): { matcher: sdk.MatcherConfig; properties: sdk.DynamicConfigValue[] }[] {
  return panel.targets.flatMap((target) => {
    const threshold = target.threshold === null ? undefined : (target.threshold ?? panel.threshold);
    const legend = target.legendFormat;
    if (!threshold?.byCluster || !legend) return [];
    return Object.entries(threshold.byCluster).map(([cluster, value]) => ({
      matcher: { id: "byRegexp", options: clusterSeriesName(legend, clusterLabel, cluster) },
      properties: [{ id: "thresholds", value: thresholdSteps({ ...threshold, value }).build() }],
    }));
  });
}

/**
 * Builds the dashboard JSON. Does not validate: see src/validate/dashboard.ts. With `clusterLabel`
 * (cluster mode) every query is rendered per cluster and filtered on a `$cluster` variable.
 */
export function compileDashboard(single: DashboardDef, clusterLabel?: string): DashboardJson {
  const def: DashboardDef = clusterLabel
    ? { ...single, panels: single.panels.map((p) => ({ ...p, targets: p.targets.map((t) => perCluster(t, clusterLabel)) })) }
    : single;
  const positions = layout(def.panels);
  const builder = new sdk.DashboardBuilder(def.title)
    .uid(def.uid)
    .description(def.description)
    .tags([...def.tags])
    .editable()
    .timezone("browser")
    .time({ from: def.from ?? "now-6h", to: "now" })
    .refresh(def.refresh ?? "1m")
    .tooltip(sdk.DashboardCursorSync.Crosshair)
    .variables(variables(def, clusterLabel));
  // The SDK moves any panel at (0, 0) to its own cursor (and mutates the position it is
  // given): it gets copies, and the layout's positions are put back after building.
  def.panels.forEach((panel, index) => builder.withPanel(panelBuilder(panel, { ...positions[index]! })));
  // A JSON round trip drops `undefined` fields and the SDK's class prototypes.
  const json = JSON.parse(JSON.stringify(builder.build())) as DashboardJson;
  json.panels.forEach((panel, index) => {
    const panelDef = def.panels[index]!;
    const { x, y } = positions[index]!;
    Object.assign(panel.gridPos, { x, y });
    // Node graph edge stats are formatted with the field's unit (Grafana's statToString).
    if (panelDef.kind === "nodegraph") panel.fieldConfig = { defaults: { unit: panelDef.unit }, overrides: [] };
    const perCluster = clusterLabel ? clusterThresholdOverrides(panelDef, clusterLabel) : [];
    const fieldConfig = panel.fieldConfig;
    if (perCluster.length && typeof fieldConfig === "object" && fieldConfig !== null && "overrides" in fieldConfig && Array.isArray(fieldConfig.overrides))
      fieldConfig.overrides.push(...perCluster);
  });
  return json;
}
