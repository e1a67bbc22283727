// Rule-file rules on plain rule files and PrometheusRule resources.

import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { lintRuleGroups, readRuleGroups } from "../../src/lint/rules-file";
import { defaultOptions } from "../../src/lint/options";
import { allMetrics } from "../../catalogue/metrics";

const options = defaultOptions(allMetrics);

const goodAlert = {
  alert: "KongHighErrorRate",
  expr: 'sum by (service) (rate(kong_http_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(kong_http_requests_total[5m])) > 0.05',
  for: "5m",
  labels: { severity: "critical" },
  annotations: { summary: "Kong returns many 5xx.", description: "{{ $labels.service }} returns {{ $value | humanizePercentage }} 5xx." },
};

function lint(rules: unknown[], groups?: unknown[]) {
  const text = stringify({ groups: groups ?? [{ name: "g", rules }] });
  return lintRuleGroups(readRuleGroups(text, true), "r.yaml", "own", options);
}
const ids = (rules: unknown[], groups?: unknown[]) => lint(rules, groups).map((f) => f.rule);

describe("rule file rules", () => {
  it("a clean alert has no findings", () => {
    expect(lint([goodAlert])).toEqual([]);
  });

  const cases: [string, Record<string, unknown>][] = [
    ["alert-name", { alert: "kong_high_error_rate" }],
    ["alert-name", { alert: "A".repeat(41) }],
    ["alert-severity", { labels: { severity: "page" } }],
    ["alert-summary", { annotations: { ...goodAlert.annotations, summary: "kong returns many 5xx." } }],
    ["alert-summary", { annotations: { ...goodAlert.annotations, summary: "Kong returns many 5xx" } }],
    ["alert-summary", { annotations: { ...goodAlert.annotations, summary: "{{ $labels.service }} fails." } }],
    ["alert-description", { annotations: { summary: "Kong fails.", description: "Kong fails a lot." } }],
    ["alert-value-in-labels", { labels: { severity: "critical", value: "{{ $value }}" } }],
    ["alert-for-positive", { for: "0s" }],
    ["alert-for", { for: "five minutes" }],
    ["alert-for", { for: "30s5m" }],
    ["alert-for", { for: "300" }],
    ["alert-always-firing", { expr: "sum by (service) (rate(kong_http_requests_total[5m]))" }],
    ["alert-labels-template", { annotations: { ...goodAlert.annotations, description: "{{ $labels.route }} fails at {{ $value }}." } }],
    ["rule-kind", { record: "service:kong_requests:rate5m" }],
    ["rule-fields", { severity: "critical" }],
    ["rate-range-min", { expr: "sum(rate(kong_http_requests_total[30s])) > 1" }],
  ];
  for (const [id, change] of cases) {
    it(`${id}: ${JSON.stringify(change).slice(0, 70)}`, () => {
      expect(ids([{ ...goodAlert, ...change }])).toContain(id);
    });
  }

  // Which labels an expression keeps, through each construct the platform's rules use: a
  // description may template the kept label, and naming the dropped one is a finding.
  const keptCases: [string, string, string][] = [
    ['sum by (service) (rate(kong_http_requests_total{code="401"}[5m])) > 10', "service", "code"],
    ["histogram_quantile(0.99, sum by (le, service) (rate(kong_request_latency_ms_bucket[5m]))) > 100", "service", "le"],
    ['absent(kafka_brokers{job="kafka-exporter"})', "job", "pod"],
    ["max (kafka_brokers) < 3", "alertname", "pod"],
    ["kafka_consumergroup_lag / on (topic) kafka_consumergroup_lag > 1", "topic", "consumergroup"],
    ["sum by (topic) (kafka_consumergroup_lag) > 1 or sum by (pod) (kafka_log_log_size) > 1", "pod", "partition"],
  ];
  for (const [expr, kept, dropped] of keptCases) {
    it(`alert-labels-template follows ${expr.slice(0, 60)}`, () => {
      const described = (label: string) => ({
        ...goodAlert,
        expr,
        annotations: { ...goodAlert.annotations, description: `{{ $labels.${label} }} at {{ $value }}.` },
      });
      expect(ids([described(kept)])).not.toContain("alert-labels-template");
      expect(ids([described(dropped)])).toContain("alert-labels-template");
    });
  }

  it("alert-always-firing accepts absent() and set operations over comparisons", () => {
    expect(ids([{ ...goodAlert, expr: "absent(kong_datastore_reachable)" }])).not.toContain("alert-always-firing");
    expect(ids([{ ...goodAlert, expr: "kong_datastore_reachable == 0 or absent(kong_datastore_reachable)" }])).not.toContain("alert-always-firing");
  });

  it("recording rules: valid names, no for/annotations", () => {
    expect(ids([{ record: "service:kong_requests:rate5m", expr: "sum by (service) (rate(kong_http_requests_total[5m]))" }])).toEqual([]);
    expect(ids([{ record: "bad-name", expr: "sum(rate(kong_http_requests_total[5m]))" }])).toContain("record-name");
    expect(ids([{ record: "a:b:c", expr: "sum(rate(kong_http_requests_total[5m]))", for: "5m" }])).toContain("record-name");
  });

  it("groups: unique names, at most 20 rules", () => {
    expect(ids([], [{ name: "a", rules: [goodAlert] }, { name: "a", rules: [goodAlert] }])).toContain("rule-group");
    expect(ids(Array.from({ length: 21 }, () => goodAlert))).toContain("rule-group-size");
    expect(ids(Array.from({ length: 20 }, () => goodAlert))).not.toContain("rule-group-size");
  });

  it("reads PrometheusRule resources, several documents per file", () => {
    const text = [
      stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: {} }),
      stringify({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "r" }, spec: { groups: [{ name: "g", rules: [{ ...goodAlert, alert: "bad name" }] }] } }),
    ].join("---\n");
    const findings = lintRuleGroups(readRuleGroups(text, true), "k.yaml", "own", options);
    expect(findings.map((f) => `${f.location.join(" › ")}: ${f.rule}`)).toEqual(["g › bad name: alert-name"]);
  });

  it("refuses YAML that is neither kind of rule file, and broken YAML", () => {
    expect(() => readRuleGroups("a: 1\n", true)).toThrow(/neither/);
    expect(() => readRuleGroups("groups: [\n", true)).toThrow(/invalid YAML/);
    expect(readRuleGroups("kind: ConfigMap\n", false)).toEqual([]);
  });
});
