// The PrometheusRule compiler: paths, determinism, options, CRD validation and the
// problems a bad definition produces (so the build fails with a clear message).

import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { metrics as m } from "../../catalogue/metrics";
import { thresholds as t } from "../../catalogue/thresholds";
import { ruleGroups } from "../../alerts/index";
import { alert, breaches, recording, type AnyAlert, type RuleGroupDef, type Severity } from "../../src/kit/alert";
import { gauge, sum } from "../../src/kit/promql";
import { compilePrometheusRules, defaultPrometheusRuleOptions, prometheusRuleResourcePaths } from "../../src/compile/prometheus-rules";
import { validatePrometheusRule } from "../../src/validate/prometheus-rule";

const lag = (overrides: Partial<Parameters<typeof alert>[0]> = {}): AnyAlert =>
  alert({
    name: "TestConsumerLag",
    expr: breaches(sum(gauge(m.kafka_consumergroup_lag), { by: ["consumergroup", "topic"] }), t.consumerLagMessages),
    for: "10m",
    severity: "warning",
    summary: "A consumer group falls behind.",
    description: (l) => `${l.consumergroup} on ${l.topic}.`,
    panel: { dashboardUid: "events", panelId: 2 },
    threshold: t.consumerLagMessages,
    ...overrides,
  });
const group = (alerts: AnyAlert[], extra: Partial<RuleGroupDef> = {}): RuleGroupDef => ({ name: "test-group", rateWindow: "5m", alerts, ...extra });
const messages = (groups: RuleGroupDef[]) => compilePrometheusRules(groups).problems.map((p) => `${p.location.join(" › ")}: ${p.message}`);

describe("compilePrometheusRules", () => {
  const first = compilePrometheusRules(ruleGroups);

  it("writes a rule file and a PrometheusRule per group", () => {
    expect(first.problems).toEqual([]);
    expect(first.files.map((f) => f.path).sort()).toEqual(
      ruleGroups.flatMap((g) => [`k8s/prometheusrule-${g.name}.yaml`, `prometheus/${g.name}.rules.yaml`]).sort(),
    );
    expect(prometheusRuleResourcePaths(first.files)).toEqual(ruleGroups.map((g) => `k8s/prometheusrule-${g.name}.yaml`));
  });

  it("is deterministic: same input, byte-identical output", () => {
    expect(compilePrometheusRules(ruleGroups)).toEqual(first);
  });

  it("makes PrometheusRules that kube-prometheus-stack selects, in the monitoring namespace", () => {
    const resource = parse(first.files.find((f) => f.path === "k8s/prometheusrule-service-mesh.yaml")!.content);
    expect(resource).toMatchObject({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: { name: "254carbon-service-mesh", namespace: "monitoring", labels: { release: "kube-prometheus-stack" } },
    });
    const rules = parse(first.files.find((f) => f.path === "prometheus/service-mesh.rules.yaml")!.content);
    expect(resource.spec.groups).toEqual(rules.groups);
  });

  it("takes namespace, labels and Grafana URL from the options", () => {
    const { files } = compilePrometheusRules(ruleGroups, {
      namespace: "observability",
      labels: { prometheus: "k8s", role: "alert-rules" },
      grafanaUrl: "https://grafana.example.org/",
    });
    const resource = parse(files.find((f) => f.path.startsWith("k8s/"))!.content);
    expect(resource.metadata.namespace).toBe("observability");
    expect(resource.metadata.labels).toEqual({ prometheus: "k8s", role: "alert-rules" });
    expect(resource.spec.groups[0].rules.find((r: { alert?: string }) => r.alert)?.annotations.dashboard_url).toMatch(
      /^https:\/\/grafana\.example\.org\/d\/service-mesh\?viewPanel=\d+$/,
    );
    expect(defaultPrometheusRuleOptions.labels).toEqual({ release: "kube-prometheus-stack" });
  });

  it("renders rate() windows from the group and recording rules before alerts", () => {
    const rules = parse(first.files.find((f) => f.path === "prometheus/service-mesh.rules.yaml")!.content).groups[0].rules;
    expect(rules[0].record).toBe("namespace_service:istio_requests:rate5m");
    expect(rules[0].expr).toContain("[5m]");
    expect(rules.find((r: { alert?: string }) => r.alert === "CircuitBreakerTriggered").keep_firing_for).toBe("5m");
  });
});

describe("problems from bad definitions", () => {
  it("accepts a good definition", () => expect(messages([group([lag()])])).toEqual([]));

  it("names the group and rule for convention breaches", () => {
    const problems = messages([
      group([
        lag({ name: "consumer_lag_is_too_high_for_comfort_and_more_words" }),
        lag({ name: "BadSeverity", severity: "page" as Severity }),
        lag({ name: "BadSummary", summary: "lag of {{ $labels.topic }}" }),
        lag({ name: "BadFor", for: "0m" }),
      ]),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        "test-group › consumer_lag_is_too_high_for_comfort_and_more_words: alert name must be CamelCase (letters and digits, starting upper-case)",
        expect.stringMatching(/^test-group › consumer_lag_is_too_high_for_comfort_and_more_words: alert name has 51 characters, at most 40/),
        'test-group › BadSeverity: severity "page" must be one of critical, warning, info',
        "test-group › BadSummary: summary must not be templated: put labels and values in the description",
        "test-group › BadSummary: summary must start with an upper-case letter",
        "test-group › BadSummary: summary must end with a period",
        'test-group › BadFor: for "0m" must be a positive Prometheus duration',
      ]),
    );
  });

  it("limits groups to 20 rules and alert names to one use", () => {
    const many = Array.from({ length: 21 }, (_, i) => lag({ name: `TestConsumerLag${i}` }));
    expect(messages([group(many)])).toContain("test-group: group has 21 rules, at most 20 allowed: split it");
    expect(messages([group([lag()]), group([lag()], { name: "other-group" })])).toContain(
      'other-group › TestConsumerLag: duplicate alert name (first defined in group "test-group")',
    );
  });

  it("refuses $value in labels and recording names that say another window", () => {
    expect(messages([group([lag({ labels: { lag: "{{ $value }}" } })])])).toContain(
      'test-group › TestConsumerLag: label "lag" uses $value: every new value would start a new alert',
    );
    const rec = recording("consumergroup:kafka_consumergroup_lag:rate1m", sum(gauge(m.kafka_consumergroup_lag), { by: ["consumergroup"] }));
    expect(messages([group([lag()], { recordings: [rec] })])).toContain(
      "test-group › consumergroup:kafka_consumergroup_lag:rate1m: recording rule name says rate1m but the group renders rate() over 5m",
    );
  });

  it("turns PrometheusRule schema errors (src/validate) into problems naming the rule", () => {
    // A non-string label value gets past TypeScript only through a cast; the CRD schema catches it.
    const bad = lag({ name: "NumericLabel", labels: { tier: 1 as unknown as string } });
    const { resources } = compilePrometheusRules([group([lag(), bad])]);
    const found = resources.flatMap(validatePrometheusRule).map((p) => `${p.location.join(" › ")}: ${p.message}`);
    expect(found).toEqual(["test-group › NumericLabel: PrometheusRule schema: /spec/groups/0/rules/1/labels/tier must be string"]);
  });
});
