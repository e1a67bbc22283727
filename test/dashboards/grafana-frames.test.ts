// The conversion of Prometheus answers into Grafana data frames, checked offline against the
// shapes Grafana's Prometheus data source produces (see test/support/grafana-frames.ts for the
// source files followed). The table case uses answers recorded from the real Prometheus.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backendFrames, grafanaFrames, type FrameQuery } from "../support/grafana-frames";
import { judgePanel, type PanelJson } from "../support/grafana-panels";
import type { PromData } from "../support/prometheus";

interface Recorded {
  readonly answers: readonly (FrameQuery & { readonly data: PromData })[];
}
const recorded = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures/topic-retention.prometheus.json"), "utf8")) as Recorded;
const answers = recorded.answers.map(({ data, ...query }) => ({ query, data }));
const series = (data: PromData) => data.result as { metric: Record<string, string>; value: [number, string] }[];

describe("Prometheus answers as Grafana data frames", () => {
  it("a matrix: one frame per series, Time and a value field named after __name__, legend from the labels", () => {
    const data: PromData = {
      resultType: "matrix",
      result: [
        { metric: { __name__: "up", job: "node", instance: "a:9100" }, values: [[1700000000, "1"], [1700000015.5, "0"]] },
        { metric: { job: "node", instance: "b:9100" }, values: [[1700000000, "+Inf"]] },
      ],
    };
    const frames = backendFrames({ refId: "A", expr: "up" }, data);
    expect(frames.map((f) => f.fields.map((field) => field.name))).toEqual([["Time", "up"], ["Time", "Value"]]);
    expect(frames[0]!.fields[0]!.values).toEqual([1700000000000, 1700000015500]);
    expect(frames[0]!.fields[1]!.values).toEqual([1, 0]);
    expect(frames[1]!.fields[1]!.values).toEqual([Infinity]);
    // No legend: the series' name, labels sorted (response.go metricNameFromLabels).
    expect(frames.map((f) => f.fields[1]!.config.displayNameFromDS)).toEqual(['up{instance="a:9100", job="node"}', '{instance="b:9100", job="node"}']);
    expect(frames[0]!.meta?.type).toBe("timeseries-multi");
    const legend = backendFrames({ refId: "A", expr: "up", legendFormat: "{{ instance }} / {{missing}}" }, data);
    expect(legend.map((f) => f.fields[1]!.config.displayNameFromDS)).toEqual(["a:9100 / ", "b:9100 / "]);
  });

  it("an empty answer: one frame without fields, so the query still shows up (response.go)", () => {
    expect(backendFrames({ refId: "B", expr: "x" }, { resultType: "vector", result: [] })).toEqual([
      { refId: "B", name: "", fields: [], length: 0, meta: {} },
    ]);
  });

  it("two table queries (recorded): one frame each, Time, the labels, then `Value #<refId>`", () => {
    const frames = grafanaFrames(answers);
    expect(frames.map((f) => f.refId)).toEqual(["A", "B"]);
    expect(frames.map((f) => f.fields.map((field) => `${field.name}:${field.type}`))).toEqual([
      ["Time:time", "topic:string", "Value #A:number"],
      ["Time:time", "topic:string", "Value #B:number"],
    ]);
    for (const [i, frame] of frames.entries()) {
      const input = series(answers[i]!.data);
      expect(frame.length).toBe(input.length);
      expect(frame.fields[1]!.values).toEqual(input.map((s) => s.metric.topic));
      expect(frame.fields[2]!.values).toEqual(input.map((s) => Number(s.value[1])));
      expect(frame.meta?.preferredVisualisationType).toBe("rawPrometheus");
    }
  });

  it("one table query: its value field is plain `Value`; a time series query next to it is left as frames", () => {
    const [table] = answers;
    const timeSeries = { query: { ...table!.query, refId: "B", format: "time_series" }, data: table!.data };
    const frames = grafanaFrames([table!, timeSeries]);
    expect(frames.filter((f) => f.refId === "A").map((f) => f.fields.map((field) => field.name))).toEqual([["Time", "topic", "Value"]]);
    expect(frames.filter((f) => f.refId === "B")).toHaveLength(series(table!.data).length);
  });

  it("the recorded frames pass the compiled panel's judge: merged, renamed, Time hidden, bytes and counts", async () => {
    const dashboard = JSON.parse(readFileSync(join(import.meta.dirname, "../../out/dashboards/events.json"), "utf8")) as { panels: (PanelJson & { title: string })[] };
    const panel = dashboard.panels.find((p) => p.title === "Topic Retention and Size")!;
    const expected = [
      { refId: "A", unit: "bytes", column: "Value #A" },
      { refId: "B", unit: "short", column: "Value #B" },
    ];
    expect(await judgePanel(panel, grafanaFrames(answers), expected)).toEqual([]);
  });
});
