// Grafana's own data library as the judge of a compiled panel: the frames its Prometheus data
// source would hand the panel (test/support/grafana-frames.ts) go through the panel's
// transformations (transformDataFrame) and field config (applyFieldOverrides), then each
// visualization is checked for what it needs to draw. Problems are returned, one line each.

import type { DataFrame, DataTransformerConfig, Field, FieldConfigPropertyItem, FieldConfigSource, ReduceDataOptions } from "@grafana/data";
import { grafanaData, grafanaUnitIds } from "../../scripts/grafana-data";

const gd = grafanaData();
const theme = gd.createTheme();
const replaceVariables = (text: string) => text;
/** Grafana's own list, not our generated copy of it: the judge is independent of the build. */
const knownUnits = new Set(grafanaUnitIds(gd));

// The field options Grafana's app registers at start-up (public/app/core/components/OptionsUI/
// registry.tsx getAllStandardFieldConfigs), with their processors from @grafana/data; the
// editors are React components, which nothing here renders.
const standardOption = (id: string, process: FieldConfigPropertyItem["process"]): FieldConfigPropertyItem => ({
  id,
  path: id,
  name: id,
  editor: () => null,
  override: () => null,
  process,
  shouldApply: () => true,
});
gd.standardFieldConfigEditorRegistry.setInit(() => [
  standardOption("unit", gd.stringOverrideProcessor),
  standardOption("min", gd.numberOverrideProcessor),
  standardOption("max", gd.numberOverrideProcessor),
  standardOption("decimals", gd.numberOverrideProcessor),
  standardOption("displayName", gd.displayNameOverrideProcessor),
  standardOption("noValue", gd.stringOverrideProcessor),
  standardOption("thresholds", gd.thresholdsOverrideProcessor),
  standardOption("color", gd.identityOverrideProcessor),
  standardOption("mappings", gd.valueMappingsOverrideProcessor),
]);

/** The parts of compiled panel JSON the judge reads. */
export interface PanelJson {
  readonly type: string;
  readonly title: string;
  readonly transformations?: DataTransformerConfig[];
  readonly fieldConfig?: FieldConfigSource;
  readonly options?: {
    readonly reduceOptions?: ReduceDataOptions;
    readonly edges?: { readonly mainStatUnit?: string; readonly secondaryStatUnit?: string };
    readonly nodes?: { readonly mainStatUnit?: string; readonly secondaryStatUnit?: string };
  };
  readonly targets?: readonly { readonly refId?: string; readonly legendFormat?: string }[];
}

/** What the panel's definition says each query shows: its unit, and in a table its value column. */
export interface QueryExpectation {
  readonly refId: string;
  readonly unit: string;
  readonly column?: string;
}

/** transformDataFrame is an Observable; its first emission is the result. */
function transform(configs: readonly DataTransformerConfig[], frames: DataFrame[]): Promise<DataFrame[]> {
  return new Promise((resolve, reject) => {
    const subscription = gd.transformDataFrame([...configs], frames, { interpolate: replaceVariables }).subscribe({
      next: (result) => {
        resolve(result);
        queueMicrotask(() => subscription.unsubscribe());
      },
      error: reject,
    });
  });
}

/** What the visualization receives: the transformed frames with field config applied. */
export async function panelData(panel: PanelJson, frames: DataFrame[]): Promise<DataFrame[]> {
  const transformed = await transform(panel.transformations ?? [], frames);
  const fieldConfig = panel.fieldConfig ?? { defaults: {}, overrides: [] };
  return gd.applyFieldOverrides({ data: transformed, fieldConfig, replaceVariables, theme });
}

const isNumber = (field: Field) => field.type === gd.FieldType.number;

function unitProblems(panel: PanelJson, data: readonly DataFrame[]): string[] {
  const units = [
    panel.fieldConfig?.defaults.unit,
    ...(panel.fieldConfig?.overrides ?? []).flatMap((o) => o.properties.filter((p) => p.id === "unit").map((p): unknown => p.value)),
    panel.options?.edges?.mainStatUnit,
    panel.options?.edges?.secondaryStatUnit,
    panel.options?.nodes?.mainStatUnit,
    panel.options?.nodes?.secondaryStatUnit,
    ...data.flatMap((frame) => frame.fields.map((f) => f.config.unit)),
  ];
  return [...new Set(units)].filter((u) => u !== undefined && !(typeof u === "string" && knownUnits.has(u))).map((u) => `unit ${JSON.stringify(u)} is not one Grafana knows (getValueFormats)`);
}

/**
 * A query's legend must name each series: the data source renders it into displayNameFromDS,
 * and a legend whose labels the series lack renders to "", so Grafana falls back to raw labels.
 */
function legendProblem(panel: PanelJson, refId: string | undefined, displayNameFromDS: string | undefined): string | undefined {
  const legend = panel.targets?.find((t) => t.refId === refId)?.legendFormat;
  if (legend && !displayNameFromDS?.trim()) return `legend ${JSON.stringify(legend)} not resolved`;
  return undefined;
}

function timeSeriesProblems(panel: PanelJson, data: DataFrame[], expected: readonly QueryExpectation[]): string[] {
  const problems: string[] = [];
  const withData = data.filter((f) => f.length > 0);
  if (withData.length === 0) problems.push("no frame with data");
  for (const frame of withData) {
    if (!frame.fields.some((f) => f.type === gd.FieldType.time)) problems.push(`frame ${frame.refId}: no time field`);
    const values = frame.fields.filter(isNumber);
    if (values.length === 0) problems.push(`frame ${frame.refId}: no numeric field`);
    for (const field of values) {
      const legend = legendProblem(panel, frame.refId, field.config.displayNameFromDS);
      if (legend) problems.push(`frame ${frame.refId}: series shown as ${JSON.stringify(gd.getFieldDisplayName(field, frame, data))}: ${legend}`);
      const unit = expected.find((e) => e.refId === frame.refId)?.unit;
      if (field.config.unit !== unit) problems.push(`frame ${frame.refId}: unit ${JSON.stringify(field.config.unit)}, expected ${JSON.stringify(unit)}`);
    }
  }
  for (const { refId } of expected) if (!withData.some((f) => f.refId === refId)) problems.push(`query ${refId}: no data`);
  return problems;
}

/** Stat, bar gauge, pie: the values they reduce and show (getFieldDisplayValues, as those panels call it). */
function reducedProblems(panel: PanelJson, data: DataFrame[], expected: readonly QueryExpectation[]): string[] {
  const problems: string[] = [];
  const reduceOptions = panel.options?.reduceOptions;
  if (!reduceOptions) return ["no reduceOptions"];
  const values = gd.getFieldDisplayValues({ data, reduceOptions, fieldConfig: panel.fieldConfig ?? { defaults: {}, overrides: [] }, replaceVariables, theme });
  if (values.length === 0 || values.every((v) => v.display.numeric === undefined)) problems.push("nothing to show (no reducible numeric field)");
  for (const value of values) {
    const refId = value.view?.dataFrame.refId;
    if (!Number.isFinite(value.display.numeric)) problems.push(`${refId}: ${JSON.stringify(value.display.title)} reduces to ${value.display.numeric}`);
    const legend = legendProblem(panel, refId, value.field.displayNameFromDS);
    if (legend || !value.display.title) problems.push(`${refId}: value titled ${JSON.stringify(value.display.title)}: ${legend ?? "no title"}`);
    const unit = expected.find((e) => e.refId === refId)?.unit;
    if (value.field.unit !== unit) problems.push(`${refId}: ${JSON.stringify(value.display.title)} has unit ${JSON.stringify(value.field.unit)}, expected ${JSON.stringify(unit)}`);
  }
  for (const { refId } of expected) if (!values.some((v) => v.view?.dataFrame.refId === refId)) problems.push(`query ${refId}: shows no value`);
  return problems;
}

function tableProblems(data: DataFrame[], expected: readonly QueryExpectation[]): string[] {
  if (data.length !== 1) return [`${data.length} frames: a table shows one (are the queries merged?)`];
  const frame = data[0]!;
  const problems: string[] = [];
  if (frame.length === 0) problems.push("no rows");
  for (const { column, unit } of expected) {
    const field = frame.fields.find((f) => f.name === column);
    if (!field) problems.push(`no column ${JSON.stringify(column)} (fields: ${frame.fields.map((f) => f.name).join(", ")})`);
    else if (!isNumber(field)) problems.push(`column ${JSON.stringify(column)} is ${field.type}, not numeric`);
    else if (field.config.unit !== unit) problems.push(`column ${JSON.stringify(gd.getFieldDisplayName(field, frame, data))} has unit ${JSON.stringify(field.config.unit)}, expected ${JSON.stringify(unit)}`);
  }
  for (const field of frame.fields) {
    const name = gd.getFieldDisplayName(field, frame, data);
    if (/^Value( #[A-Z])?$/.test(name) && expected.length > 1) problems.push(`column shown as ${JSON.stringify(name)}: not renamed`);
    if (field.type === gd.FieldType.time) problems.push(`column ${JSON.stringify(name)}: the time of an instant query is noise`);
  }
  return problems;
}

/**
 * The node graph's own lookup (public/app/plugins/panel/nodeGraph/utils.ts): frames with a field
 * named `id` are graph frames, those with a `source` field edges; fields are found by their
 * lower-cased *name* (getEdgeFields), not their display name.
 */
export function nodeGraphEdges(data: readonly DataFrame[]): { frame: DataFrame; field: (name: string) => Field | undefined } | undefined {
  const graphFrames = data.filter((frame) => frame.fields.some((f) => f.name === "id"));
  const frame = graphFrames.find((f) => f.fields.some((field) => field.name === "source"));
  return frame && { frame, field: (name) => frame.fields.find((f) => f.name.toLowerCase() === name) };
}

function nodeGraphProblems(panel: PanelJson, data: DataFrame[], expected: readonly QueryExpectation[]): string[] {
  const edges = nodeGraphEdges(data);
  if (!edges) return ["no edges frame (no frame with fields named id and source)"];
  const problems: string[] = [];
  for (const name of ["id", "source", "target"]) {
    const field = edges.field(name);
    if (!field) problems.push(`edges frame has no field named ${name}`);
    else if (field.values.some((v) => typeof v !== "string" || v === "")) problems.push(`${name}: empty or non-string values`);
  }
  const mainstat = edges.field("mainstat");
  if (!mainstat) problems.push(`edges frame has no field named mainstat (fields: ${edges.frame.fields.map((f) => f.name).join(", ")}); a display name is not enough`);
  else if (!isNumber(mainstat)) problems.push("mainstat is not numeric");
  if (edges.frame.length === 0) problems.push("no edges");
  const unit = expected[0]?.unit;
  if (panel.options?.edges?.mainStatUnit !== unit) problems.push(`edge mainStatUnit ${JSON.stringify(panel.options?.edges?.mainStatUnit)}, expected ${JSON.stringify(unit)}`);
  return problems;
}

/** Every problem Grafana would show (or hide) on this panel, given its query results. */
export async function judgePanel(panel: PanelJson, frames: DataFrame[], expected: readonly QueryExpectation[]): Promise<string[]> {
  const data = await panelData(panel, frames);
  const kind = {
    timeseries: () => timeSeriesProblems(panel, data, expected),
    stat: () => reducedProblems(panel, data, expected),
    bargauge: () => reducedProblems(panel, data, expected),
    piechart: () => reducedProblems(panel, data, expected),
    table: () => tableProblems(data, expected),
    nodeGraph: () => nodeGraphProblems(panel, data, expected),
  }[panel.type];
  return [...unitProblems(panel, data), ...(kind ? kind() : [`panel type ${panel.type} has no judge`])];
}
