// How typed queries render. What they refuse is in types.test-d.ts (vitest typecheck mode).

import { describe, expect, it } from "vitest";
import { metrics as m } from "../../catalogue/metrics";
import { query } from "../../src/kit/panel";
import { countOf, dashboardContext, histogramQuantile, matches, rate, sum } from "../../src/kit/promql";

describe("typed queries", () => {
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
