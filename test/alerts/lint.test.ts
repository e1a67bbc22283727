// Rule conventions, checked on the compiled rule files (what Prometheus loads), and the lint
// itself checked on broken rules so a passing lint means something.

import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ruleGroups } from "../../alerts/index";
import { defaultGrafanaUrl } from "../../src/kit/alert";
import { compilePrometheusRules } from "../../src/compile/prometheus-rules";
import { keptLabels } from "./support/kept-labels";
import { catalogueSeriesLabels, lintAlert, lintRuleFiles, markdownAnchors, type RuleFileYaml, type RuleYaml } from "./support/rule-lint";

const runbooks = readFileSync(new URL("../../docs/runbooks.md", import.meta.url), "utf8");
const context = { runbookAnchors: markdownAnchors(runbooks), grafanaUrl: defaultGrafanaUrl };
const compiled = compilePrometheusRules(ruleGroups);
const ruleFiles = compiled.files.filter((f) => f.path.startsWith("prometheus/")).map((f) => parse(f.content) as RuleFileYaml);
const known = catalogueSeriesLabels();
const resolve = (name: string) => known.get(name);

describe("rule lint on the compiled rule files", () => {
  it("finds no problem", () => {
    expect(ruleFiles.length).toBe(ruleGroups.length);
    expect(lintRuleFiles(ruleFiles, context)).toEqual([]);
  });

  it("keeps the platform's alert count: the seed's nine and the platform's own", () => {
    const names = ruleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => r.alert))).filter(Boolean);
    for (const seed of [
      "HighServiceErrorRate",
      "CircuitBreakerTriggered",
      "HighRetryRate",
      "HighAuthenticationFailureRate",
      "RateLimitThresholdReached",
      "LowCacheHitRate",
      "HighConsumerLag",
      "FailedEventDeliveries",
      "KafkaBrokerDown",
    ])
      expect(names).toContain(seed);
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  it("documents every alert in docs/alerts.md", () => {
    const catalogue = readFileSync(new URL("../../docs/alerts.md", import.meta.url), "utf8");
    const missing = ruleGroups.flatMap((g) => g.alerts.map((a) => a.name)).filter((name) => !new RegExp(`^\\| ${name} \\|`, "m").test(catalogue));
    expect(missing).toEqual([]);
  });
});

describe("the lint catches broken rules", () => {
  const good: RuleYaml = {
    alert: "HighConsumerLag",
    expr: "sum by (consumergroup, topic) (kafka_consumergroup_lag) > 10000",
    for: "10m",
    labels: { severity: "warning" },
    annotations: {
      summary: "A consumer group falls behind.",
      description: "{{ $labels.consumergroup }} is {{ $value }} behind on {{ $labels.topic }}.",
      runbook_url: "https://github.com/254carbon/observability/blob/main/docs/runbooks.md#highconsumerlag",
      dashboard_url: `${defaultGrafanaUrl}/d/events?viewPanel=2`,
    },
  };
  const lint = (change: Partial<RuleYaml>, annotations: Record<string, string> = {}) =>
    lintAlert({ ...good, ...change, annotations: { ...good.annotations, ...annotations } }, resolve, context);

  it("accepts the good rule", () => expect(lint({})).toEqual([]));
  it("rejects a description naming a label the expression dropped", () =>
    expect(lint({}, { description: "{{ $labels.partition }} is behind." }).join()).toMatch(/names partition, which the expression drops/));
  it("rejects $value in labels", () => expect(lint({ labels: { severity: "warning", lag: "{{ $value }}" } }).join()).toMatch(/uses \$value/));
  it("rejects unknown severities", () => expect(lint({ labels: { severity: "page" } }).join()).toMatch(/severity/));
  it("rejects a templated or unpunctuated summary", () => {
    expect(lint({}, { summary: "Lag of {{ $labels.topic }}." }).join()).toMatch(/summary/);
    expect(lint({}, { summary: "consumer lag" }).join()).toMatch(/summary/);
  });
  it("rejects an untemplated description", () => expect(lint({}, { description: "Lag." }).join()).toMatch(/templated/));
  it("rejects a non-CamelCase name", () => expect(lint({ alert: "high_consumer_lag" }).join()).toMatch(/CamelCase/));
  it("rejects an alert without a comparison", () => expect(lint({ expr: "sum by (consumergroup, topic) (kafka_consumergroup_lag)" }).join()).toMatch(/always fire/));
  it("rejects a runbook link without a section", () => expect(lint({ alert: "NoSuchAlert" }, { runbook_url: "x" }).join()).toMatch(/runbook_url/));
  it("rejects groups above 20 rules and duplicate names", () => {
    const problems = lintRuleFiles([{ groups: [{ name: "big", rules: Array.from({ length: 21 }, () => good) }] }], context);
    expect(problems.join()).toMatch(/21 rules, at most 20/);
    expect(problems.join()).toMatch(/duplicate alert name/);
  });
});

describe("kept labels", () => {
  it("follows aggregation, histogram_quantile, absent, and/or and on()", () => {
    expect([...keptLabels('sum by (service) (rate(kong_http_requests_total{code="401"}[5m])) > 10', resolve)]).toEqual(["service"]);
    expect([...keptLabels("histogram_quantile(0.99, sum by (le, service) (rate(kong_request_latency_ms_bucket[5m])))", resolve)]).toEqual(["service"]);
    expect([...keptLabels('absent(kafka_brokers{job="kafka-exporter"})', resolve)]).toEqual(["job"]);
    expect([...keptLabels("max (kafka_brokers) < 3", resolve)]).toEqual([]);
    expect([...keptLabels("kafka_consumergroup_lag / on (topic) kafka_consumergroup_lag", resolve)]).toEqual(["topic"]);
    expect([...keptLabels("sum by (topic) (kafka_consumergroup_lag) or sum by (pod) (kafka_log_log_size)", resolve)].sort()).toEqual(["pod", "topic"]);
  });
});
