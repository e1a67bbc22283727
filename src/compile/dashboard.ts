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
import type { PanelDef, Target } from "../kit/panel";
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

function targetBuilder(target: Target, index: number): DataqueryBuilder {
  const builder = new DataqueryBuilder()
    .refId(refId(index))
    .datasource(datasource)
    .expr(target.expr)
    .format(target.format === "table" ? PromQueryFormat.Table : PromQueryFormat.TimeSeries);
  if (target.legendFormat) builder.legendFormat(target.legendFormat);
  return target.instant ? builder.instant() : builder.range();
}

/** Tables of several instant queries are joined on their labels, then columns renamed/hidden. */
function transformations(panel: PanelDef): sdk.DataTransformerConfig[] {
  const result: sdk.DataTransformerConfig[] = [];
  if (panel.kind === "table" && panel.targets.length > 1) result.push({ id: "merge", options: {} });
  if (panel.columns) {
    const hidden = Object.fromEntries((panel.columns.hide ?? []).map((name) => [name, true]));
    result.push({ id: "organize", options: { renameByName: panel.columns.rename ?? {}, excludeByName: hidden } });
  }
  return result;
}

const legend = (placement: common.LegendPlacement) =>
  new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(placement);

const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false);

/** The kind-specific part of a panel; every kind gets the shared fields in `panelBuilder`. */
function kindBuilder(panel: PanelDef) {
  switch (panel.kind) {
    case "timeseries": {
      const b = new timeseries.PanelBuilder()
        .legend(legend(common.LegendPlacement.Bottom))
        .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
        .fillOpacity(panel.bars ? 80 : 10)
        .drawStyle(panel.bars ? common.GraphDrawStyle.Bars : common.GraphDrawStyle.Line)
        .thresholdsStyle(
          new common.GraphThresholdsStyleConfigBuilder().mode(panel.threshold ? common.GraphThresholdsStyleMode.Dashed : common.GraphThresholdsStyleMode.Off),
        );
      if (panel.stacked) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
      return b;
    }
    case "stat": {
      const b = new stat.PanelBuilder()
        .reduceOptions(lastValue())
        .colorMode(common.BigValueColorMode.Background)
        .graphMode(common.BigValueGraphMode.Area);
      if (panel.decimals !== undefined) b.decimals(panel.decimals);
      return b;
    }
    case "table":
      return new table.PanelBuilder().showHeader(true).cellHeight(common.TableCellHeight.Sm);
    case "piechart":
      return new piechart.PanelBuilder()
        .pieType(piechart.PieChartType.Donut)
        .reduceOptions(lastValue())
        .legend(new piechart.PieChartLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.Table).placement(common.LegendPlacement.Right).values([piechart.PieChartLegendValues.Percent]));
    case "bargauge": {
      const b = new bargauge.PanelBuilder()
        .reduceOptions(lastValue())
        .displayMode(common.BarGaugeDisplayMode.Gradient)
        .orientation(common.VizOrientation.Horizontal)
        .min(0);
      if (panel.max !== undefined) b.max(panel.max);
      return b;
    }
    case "nodegraph":
      return new nodegraph.PanelBuilder();
  }
}

/** Per-query thresholds: a query's own threshold, or a neutral colour when it is not judged. */
function thresholdOverride(threshold: Threshold | null): sdk.DynamicConfigValue[] {
  return threshold === null
    ? [{ id: "color", value: { mode: "fixed", fixedColor: "blue" } }]
    : [{ id: "thresholds", value: thresholdSteps(threshold).build() }];
}

function panelBuilder(panel: PlacedPanel, gridPos: GridPos): cog.Builder<sdk.Panel> {
  const b = kindBuilder(panel);
  b.id(panel.id)
    .title(panel.title)
    .description(panel.description)
    .datasource(datasource)
    .gridPos(gridPos)
    .targets(panel.targets.map(targetBuilder));
  // The SDK's node graph builder has no field config; compileDashboard adds the unit.
  if (!(b instanceof nodegraph.PanelBuilder)) {
    b.unit(panel.unit).thresholds(thresholdSteps(panel.threshold));
    panel.targets.forEach((target, index) => {
      if (target.threshold !== undefined) b.overrideByQuery(refId(index), thresholdOverride(target.threshold));
    });
  }
  const steps = transformations(panel);
  if (steps.length) b.transformations(steps);
  return b;
}

// "All" is `.+`, not `.*`: series lacking the label (e.g. Kafka's broker-wide totals without
// `topic`) must not join per-label sums.
function variables(def: DashboardDef): cog.Builder<sdk.VariableModel>[] {
  const datasourceVariable = new sdk.DatasourceVariableBuilder(DATASOURCE_VARIABLE).label("Data source").type("prometheus");
  const filters = def.variables.map((v) =>
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

/** Builds the dashboard JSON. Does not validate: see src/validate/dashboard.ts. */
export function compileDashboard(def: DashboardDef): DashboardJson {
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
    .variables(variables(def));
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
  });
  return json;
}
