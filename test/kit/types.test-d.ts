// Mistakes a newcomer can make when adding a panel, refused by the type checker. Vitest's
// typecheck mode runs these: each `@ts-expect-error` fails its own test if the line below it
// ever compiles, and each `expectTypeOf` fails if the inferred type changes.

import { describe, expectTypeOf, it } from "vitest";
import { metrics as m } from "../../catalogue/metrics";
import { apiGateway } from "../../dashboards/api-gateway";
import { labelVariable, type PanelRef, type VariableDef } from "../../src/kit/dashboard";
import { query, timeSeries } from "../../src/kit/panel";
import { current, histogramQuantile, rate, sum, type Vector } from "../../src/kit/promql";
import type { ClusterLabel } from "../../src/model/metric";

describe("queries", () => {
  it("refuse a metric that is not in the catalogue", () => {
    // @ts-expect-error a misspelled metric
    rate(m.istio_request_total);
  });

  it("refuse a label the metric does not have", () => {
    // @ts-expect-error istio_requests_total has response_code, not status_code
    rate(m.istio_requests_total, { status_code: "500" });
  });

  it("refuse a value outside a label's declared set", () => {
    // @ts-expect-error reporter is source | destination | waypoint
    rate(m.istio_requests_total, { reporter: "dest" });
    expectTypeOf(rate(m.istio_requests_total, { reporter: "destination" })).toEqualTypeOf<Vector<(typeof m.istio_requests_total.labels)[number] | ClusterLabel>>();
  });

  it("refuse rate() of a gauge and a counter read without rate()", () => {
    // @ts-expect-error kong_nginx_connections_total is a gauge despite its name
    rate(m.kong_nginx_connections_total);
    // @ts-expect-error a counter read as an instant value
    current(m.istio_requests_total);
  });

  it("keep exactly the grouped labels, and refuse grouping by a label the input lacks", () => {
    expectTypeOf(sum(rate(m.kong_http_requests_total), { by: ["service", "code"] })).toEqualTypeOf<Vector<"service" | "code" | ClusterLabel>>();
    // @ts-expect-error kong_http_requests_total has no destination_service_name
    sum(rate(m.kong_http_requests_total), { by: ["destination_service_name"] });
    // @ts-expect-error the histogram has no code label
    histogramQuantile(0.99, m.kong_request_latency_ms, { by: ["code"] });
  });

  it("refuse a histogram_quantile φ outside [0, 1]", () => {
    // @ts-expect-error 99 meant as a percentile
    histogramQuantile(99, m.kong_request_latency_ms, { by: ["service"] });
    // @ts-expect-error a negative φ
    histogramQuantile(-0.5, m.kong_request_latency_ms, { by: ["service"] });
    expectTypeOf(histogramQuantile(1, m.kong_request_latency_ms, { by: ["service"] })).toEqualTypeOf<Vector<"service" | ClusterLabel>>();
  });
});

describe("panels", () => {
  it("refuse a legend naming a label the aggregation dropped", () => {
    // @ts-expect-error route was aggregated away
    query(sum(rate(m.kong_http_requests_total), { by: ["service"] }), { legend: (l) => l.route });
  });

  it("require a unit and a description", () => {
    // @ts-expect-error no unit
    timeSeries({ title: "t", description: "d", targets: [] });
    // @ts-expect-error no description
    timeSeries({ title: "t", unit: "short", targets: [] });
  });
});

describe("dashboards", () => {
  it("make variables handles over a label the metric has", () => {
    expectTypeOf(labelVariable("topic", "Topic", m.kafka_consumergroup_lag, "topic")).toEqualTypeOf<VariableDef<"topic">>();
    // @ts-expect-error kafka_brokers has no topic label
    labelVariable("topic", "Topic", m.kafka_brokers, "topic");
  });

  it("give alerts a reference per panel key, and none for a key that does not exist", () => {
    expectTypeOf(apiGateway.ref.cacheHitRate).toEqualTypeOf<PanelRef>();
    // @ts-expect-error no panel is keyed cacheHits
    void apiGateway.ref.cacheHits;
  });
});

describe("customize", () => {
  it("hands each panel kind its own SDK builder", () => {
    // @ts-expect-error colorMode belongs to the stat builder, not the time series one
    timeSeries({ title: "t", description: "d", unit: "short", targets: [], customize: (b) => b.colorMode("background") });
  });
});
