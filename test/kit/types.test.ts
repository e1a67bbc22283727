// Mistakes a newcomer can make when adding a panel, and that `tsc` (part of `npm test`)
// must refuse. Each `@ts-expect-error` line fails the type check if it ever compiles
// cleanly, so these cases cannot silently stop being errors.

import { describe, expect, it } from "vitest";
import { metrics as m } from "../../catalogue/metrics";
import { labelVariable } from "../../src/kit/dashboard";
import { query, timeSeries } from "../../src/kit/panel";
import { countOf, dashboardContext, gauge, histogramQuantile, matches, rate, sum } from "../../src/kit/promql";

/** Never called: only type-checked. */
function mistakes(): void {
  // @ts-expect-error a misspelled metric does not exist in the catalogue
  rate(m.istio_request_total);

  // @ts-expect-error a label the metric does not have
  rate(m.istio_requests_total, { status_code: "500" });

  // @ts-expect-error a value outside the label's declared set (reporter is source|destination|waypoint)
  rate(m.istio_requests_total, { reporter: "dest" });

  // @ts-expect-error rate() of a gauge (kong_nginx_connections_total is a gauge despite its name)
  rate(m.kong_nginx_connections_total);

  // @ts-expect-error a counter read as an instant value instead of being rated
  gauge(m.istio_requests_total);

  // @ts-expect-error grouping by a label the input does not have
  sum(rate(m.kong_http_requests_total), { by: ["destination_service_name"] });

  // @ts-expect-error a legend naming a label the aggregation dropped
  query(sum(rate(m.kong_http_requests_total), { by: ["service"] }), { legend: (l) => l.route });

  // @ts-expect-error histogram_quantile grouping by a label the histogram does not have
  histogramQuantile(0.99, m.kong_request_latency_ms, { by: ["code"] });

  // @ts-expect-error a φ above 1 (99 meant as a percentile)
  histogramQuantile(99, m.kong_request_latency_ms, { by: ["service"] });

  // @ts-expect-error a negative φ
  histogramQuantile(-0.5, m.kong_request_latency_ms, { by: ["service"] });

  // @ts-expect-error a variable over a label the metric does not have
  labelVariable("topic", "Topic", m.kafka_brokers, "topic");

  // @ts-expect-error a panel without a unit
  timeSeries({ title: "t", description: "d", targets: [] });

  // @ts-expect-error a panel without a description
  timeSeries({ title: "t", unit: "short", targets: [] });
}

describe("typed queries", () => {
  it("compile the mistakes above only as type errors (the function is never run)", () => {
    expect(typeof mistakes).toBe("function");
  });

  it("render rates over $__rate_interval in dashboards", () => {
    const expr = sum(rate(m.istio_requests_total, { reporter: "destination", destination_service_namespace: matches("$namespace") }), {
      by: ["destination_service_name"],
    });
    expect(expr.render(dashboardContext)).toBe(
      'sum by (destination_service_name) (rate(istio_requests_total{reporter="destination", destination_service_namespace=~"$namespace"}[$__rate_interval]))',
    );
  });

  it("keep le when computing quantiles from classic histogram buckets", () => {
    const p99 = histogramQuantile(0.99, m.istio_request_duration_milliseconds, { by: ["destination_service_name"], where: { reporter: "destination" } });
    expect(p99.render(dashboardContext)).toBe(
      'histogram_quantile(0.99, sum by (le, destination_service_name) (rate(istio_request_duration_milliseconds_bucket{reporter="destination"}[$__rate_interval])))',
    );
  });

  it("rate a histogram's count series by its real name", () => {
    expect(rate(countOf(m.kong_request_latency_ms)).render(dashboardContext)).toBe("rate(kong_request_latency_ms_count[$__rate_interval])");
  });

  it("report the labels a legend uses", () => {
    const target = query(sum(rate(m.kong_http_requests_total), { by: ["service", "code"] }), { legend: (l) => `${l.service} ${l.code}` });
    expect(target.legendFormat).toBe("{{service}} {{code}}");
    expect(target.legendLabels).toEqual(["service", "code"]);
  });
});
