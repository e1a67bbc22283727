// The linter never throws and never hangs, whatever it is fed.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lintDashboard } from "../../src/lint/dashboard";
import { lintQuery } from "../../src/lint/promql/lint";
import { defaultOptions } from "../../src/lint/options";
import { lintRuleGroups, readRuleGroups, RuleFileError } from "../../src/lint/rules-file";
import { allMetrics } from "../../catalogue/metrics";

const options = defaultOptions(allMetrics);

const VALID = [
  'sum by (destination_service_name) (rate(istio_requests_total{reporter="destination", response_code=~"5.."}[$__rate_interval]))',
  "histogram_quantile(0.99, sum by (le, service) (rate(kong_request_latency_ms_bucket[5m])))",
  'label_replace(kafka_consumergroup_lag, "group", "$1", "consumergroup", "(.*)") > 1000',
  "max_over_time(kafka_brokers[1h:5m]) offset 1d unless on (pod) absent(kafka_brokers)",
  "topk(5, count_values(\"v\", kong_nginx_connections_total)) and bool 1",
];
const TOKENS = ["(", ")", "[", "]", "{", "}", '"', "'", "`", ",", "=~", "!~", "by", "without", "on", "group_left", "offset", "@", "$__rate_interval", "${x}", "[[y]]", "5m", ":", "rate", "sum", "-", "^", "#", "\\", "\n"];

/** A valid query with tokens inserted, removed or swapped. */
const mutated = fc
  .tuple(fc.constantFrom(...VALID), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...TOKENS), fc.boolean()), { maxLength: 6 }))
  .map(([q, edits]) =>
    edits.reduce((s, [pos, token, remove]) => {
      const at = pos % (s.length + 1);
      return remove ? s.slice(0, at) + s.slice(at + token.length) : s.slice(0, at) + token + s.slice(at);
    }, q),
  );

describe("robustness", () => {
  it("never throws on random strings or mutated queries, in either mode", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 100 }), mutated), fc.boolean(), (q, dash) => {
        const r = lintQuery(q, { mode: dash ? "dashboard" : "rule", profile: "own" }, options);
        expect(r.findings.filter((f) => f.rule.id === "internal")).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws on random JSON as a dashboard", () => {
    const panelish = fc.record(
      { id: fc.jsonValue(), type: fc.constantFrom("timeseries", "row", "stat", 5), title: fc.jsonValue(), gridPos: fc.jsonValue(), targets: fc.oneof(fc.jsonValue(), fc.array(fc.record({ expr: fc.oneof(mutated, fc.jsonValue()), refId: fc.jsonValue() }))), panels: fc.jsonValue() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ uid: fc.jsonValue(), panels: fc.array(panelish), templating: fc.jsonValue(), rows: fc.jsonValue() }, { requiredKeys: [] })), (json) => {
        const findings = lintDashboard(json, { file: "x.json", profile: "own" }, options);
        expect(findings.filter((f) => f.rule === "internal")).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on random rule groups", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (groups) => {
        const findings = lintRuleGroups([{ groups: Array.isArray(groups) ? groups : [groups], origin: "rules" }], "r.yaml", "own", options);
        expect(findings.filter((f) => f.rule === "internal")).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("reading random text as a rule file only ever fails with a RuleFileError", () => {
    const yamlish = fc.oneof(fc.string({ maxLength: 100 }), fc.jsonValue().map((v) => JSON.stringify(v) ?? ""), fc.constantFrom("*!", "a: &x [*x]", "groups:\n  - *y", "groups: {"));
    fc.assert(
      fc.property(yamlish, (text) => {
        try {
          readRuleGroups(text, false);
        } catch (e) {
          expect(e).toBeInstanceOf(RuleFileError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("handles 5,000 nested parentheses quickly", () => {
    const start = performance.now();
    const deep = `${"(".repeat(5000)}kong_datastore_reachable${")".repeat(5000)}`;
    const r = lintQuery(deep, { mode: "rule", profile: "own" }, options);
    expect(r.findings.map((f) => f.rule.id)).toEqual(["syntax"]);
    const nested = `${"sum(".repeat(300)}kong_datastore_reachable${")".repeat(300)}`;
    expect(lintQuery(nested, { mode: "rule", profile: "own" }, options).findings).toEqual([]);
    const deeper = `${"abs(".repeat(900)}kong_datastore_reachable${")".repeat(900)}`;
    expect(lintQuery(deeper, { mode: "rule", profile: "own" }, options).findings.map((f) => f.rule.id)).toEqual(["too-complex"]);
    expect(performance.now() - start).toBeLessThan(10_000);
  });

  it("lints a 1 MB dashboard quickly", () => {
    const panels = Array.from({ length: 1500 }, (_, i) => ({
      id: i + 1,
      type: "timeseries",
      title: `Panel ${i}`,
      description: "x".repeat(500),
      datasource: { uid: "${datasource}" },
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      fieldConfig: { defaults: { unit: "short" } },
      targets: [{ refId: "A", expr: `sum by (service) (rate(kong_http_requests_total{route=~"r${i}.*"}[$__rate_interval]))` }],
    }));
    const dashboard = { uid: "big", title: "Big", templating: { list: [{ name: "datasource", type: "datasource" }] }, panels };
    const size = JSON.stringify(dashboard).length;
    expect(size).toBeGreaterThan(1_000_000);
    const start = performance.now();
    const findings = lintDashboard(dashboard, { file: "big.json", profile: "own" }, options);
    expect(findings).toEqual([]);
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
