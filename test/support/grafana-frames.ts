// Prometheus answers turned into data frames exactly as Grafana's Prometheus data source does,
// followed step by step from grafana/grafana-prometheus-datasource (the code Grafana 12/13 runs,
// read at commit 1f9b322 with the fetch tool):
//   1. backend, pkg/promlib/converter/prom.go readMatrixOrVectorMulti: one frame per series,
//      fields `Time` and `Value` (the series labels on the value field); an empty answer is one
//      frame without fields (pkg/promlib/querydata/response.go parseResponse).
//   2. backend, response.go addMetadataToMultiFrame/getName: the value field is renamed to
//      `__name__` when the series has one, and its displayNameFromDS is the legend format with
//      `{{label}}` replaced (missing labels → ""), or the series' name when there is no legend.
//   3. frontend, packages/grafana-prometheus/src/result_transformer.ts transformV2: queries with
//      format "table" are merged per refId by transformDFToTable into `Time`, one string field
//      per label (sorted), and `Value` (`Value #<refId>` when several table queries answered);
//      the others keep their frames, marked preferredVisualisationType "graph".

import type { DataFrame, Field, Labels } from "@grafana/data";
import { grafanaData } from "../../scripts/grafana-data";
import type { PromData } from "./prometheus";

const { FieldType, DataFrameType } = grafanaData();

export interface FrameQuery {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  readonly format?: string;
  /** Step of a range query, ms (Grafana puts it on the time field as `interval`). */
  readonly stepMs?: number;
}

type Sample = readonly [number, string];
interface SeriesJson {
  readonly metric?: Labels;
  readonly value?: Sample;
  readonly values?: readonly Sample[];
}

const INFINITY = /^[+-]?inf(?:inity)?$/i;
/** result_transformer.ts parseSampleValue; Go's ParseFloat accepts the same spellings. */
function parseSample(value: string | number): number {
  const text = String(value);
  if (INFINITY.test(text)) return text.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return parseFloat(text);
}

/** response.go metricNameFromLabels: `name{a="x", b="y"}`, labels sorted. */
function metricName(labels: Labels): string {
  const { __name__: name = "", ...rest } = labels;
  const parts = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  if (parts.length === 0) return name || "{}";
  return `${name}{${parts.join(", ")}}`;
}

/** response.go getName. */
function legendName(query: FrameQuery, labels: Labels): string {
  let legend = metricName(labels);
  if (query.legendFormat === "__auto") {
    if (Object.keys(labels).length > 0) legend = "";
  } else if (query.legendFormat) {
    legend = query.legendFormat.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, label: string) => labels[label.trim()] ?? "");
  }
  return legend === "{}" ? query.expr : legend;
}

function isSeriesList(result: unknown): result is SeriesJson[] {
  return Array.isArray(result) && result.every((s) => typeof s === "object" && s !== null);
}

/** Steps 1 and 2: the frames Grafana's backend sends for one query. */
export function backendFrames(query: FrameQuery, data: PromData): DataFrame[] {
  if ((data.resultType !== "matrix" && data.resultType !== "vector") || !isSeriesList(data.result))
    throw new Error(`${query.refId}: result type ${data.resultType} is not handled here`);
  const frames: DataFrame[] = data.result.map((series) => {
    const labels = { ...(series.metric ?? {}) };
    const samples = series.values ?? (series.value ? [series.value] : []);
    const time: Field = { name: "Time", type: FieldType.time, config: { interval: query.stepMs }, values: samples.map(([t]) => Math.round(t * 1000)) };
    const name = legendName(query, labels);
    const value: Field = {
      name: labels.__name__ ?? "Value",
      type: FieldType.number,
      labels,
      config: name ? { displayNameFromDS: name } : {},
      values: samples.map(([, v]) => parseSample(v)),
    };
    const meta = {
      type: data.resultType === "vector" ? DataFrameType.NumericMulti : DataFrameType.TimeSeriesMulti,
      typeVersion: [0, 1] as [number, number],
      custom: { resultType: data.resultType },
    };
    return { refId: query.refId, name: "", fields: [time, value], length: samples.length, meta };
  });
  return frames.length ? frames : [{ refId: query.refId, name: "", fields: [], length: 0, meta: {} }];
}

/** Step 3, transformDFToTable: one table frame per refId. */
function tableFrames(frames: readonly DataFrame[]): DataFrame[] {
  if (frames.length === 0 || (frames.length === 1 && frames[0]!.length === 0)) return [...frames];
  const byRefId = new Map<string, DataFrame[]>();
  for (const frame of frames) byRefId.set(frame.refId ?? "", [...(byRefId.get(frame.refId ?? "") ?? []), frame]);
  return [...byRefId].map(([refId, group]) => {
    const value: Field = { name: byRefId.size > 1 ? `Value #${refId}` : "Value", type: FieldType.number, config: {}, values: [] };
    const time: Field = { name: "Time", type: FieldType.time, config: {}, values: [] };
    const labelFields: Field[] = [];
    for (const frame of group)
      for (const label of Object.keys(frame.fields[1]?.labels ?? {}).sort())
        if (!labelFields.some((f) => f.name === label)) labelFields.push({ name: label, type: FieldType.string, config: { filterable: true }, values: [] });
    for (const frame of group) {
      time.config.interval ??= frame.fields[0]?.config.interval;
      time.values.push(...(frame.fields[0]?.values ?? []));
      const labels = frame.fields[1]?.labels ?? {};
      for (const v of frame.fields[1]?.values ?? []) {
        value.values.push(parseSample(v));
        for (const field of labelFields) field.values.push(labels[field.name] ?? "");
      }
    }
    const sorted = time.values.every((t, i) => i === 0 || t >= time.values[i - 1]);
    if (!sorted) throw new Error(`${refId}: table rows out of time order (Grafana would sort them; not needed for instant queries)`);
    return {
      refId,
      fields: [time, ...labelFields, value],
      meta: { ...group[0]!.meta, preferredVisualisationType: "rawPrometheus" as const },
      length: time.values.length,
    };
  });
}

/** Everything: the frames a panel receives for its queries, before its transformations. */
export function grafanaFrames(answers: readonly { query: FrameQuery; data: PromData }[]): DataFrame[] {
  const frames = answers.flatMap(({ query, data }) => backendFrames(query, data));
  const isTable = (frame: DataFrame) => answers.find((a) => a.query.refId === frame.refId)?.query.format === "table";
  const other = frames.filter((f) => !isTable(f)).map((f) => ({ ...f, meta: { ...f.meta, preferredVisualisationType: "graph" as const } }));
  return [...other, ...tableFrames(frames.filter(isTable))];
}
