// Grafana variable substitution before parsing, and for running queries on Prometheus.

import { describe, expect, it } from "vitest";
import { substituteVariables } from "../../src/lint/promql/variables";
import { executableQuery, legendLabels } from "../support/synthetic/queries";

describe("substituteVariables", () => {
  it("leaves strings alone and gives each duration variable its own sentinel", () => {
    const s = substituteVariables('rate(x{job=~"$job"}[$__rate_interval]) / rate(x[${__range}]) + rate(x[[[__interval]]])');
    expect(s.text).toContain('job=~"$job"');
    const sentinels = [...s.durations.keys()];
    expect(sentinels).toHaveLength(3);
    expect([...s.durations.values()].sort()).toEqual(["$__interval", "$__range", "$__rate_interval"]);
    for (const sentinel of sentinels) expect(s.text).toContain(`[${sentinel}]`);
  });

  it("uses a variable's current value, and maps offsets back to the original", () => {
    const q = "histogram_quantile($q, x) > $threshold";
    const s = substituteVariables(q, [{ name: "q", type: "custom", current: ["0.99"] }]);
    expect(s.text).toBe("histogram_quantile(0.99, x) > __var_threshold");
    const at = s.text.indexOf(", x");
    expect(q.slice(s.toOriginal(at), s.toOriginal(at) + 3)).toBe(", x");
  });
});

describe("executableQuery", () => {
  const vars = [
    { name: "service", type: "query", current: ["$__all"] },
    { name: "ns", type: "query", current: ["carbon"] },
  ];
  it("puts sensible values in for Prometheus", () => {
    expect(executableQuery('sum(rate(x{service=~"$service", ns="$ns"}[$__rate_interval])) + increase(x[$__range])', vars)).toBe(
      'sum(rate(x{service=~".*", ns="carbon"}[5m])) + increase(x[1h])',
    );
    expect(executableQuery('x{service="$service"}', vars)).toBe('x{service=~".*"}');
    expect(executableQuery('x{service!="$service"}', vars)).toBe('x{service!~"__no_such_value__"}');
  });

  it("reads legend labels", () => {
    expect(legendLabels("{{service}} / {{ code }} p99")).toEqual(["service", "code"]);
    expect(legendLabels(undefined)).toEqual([]);
  });
});
