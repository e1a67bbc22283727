// The PrometheusRule compiler: paths, determinism, options, CRD validation and the
// problems a bad definition produces (so the build fails with a clear message).

import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { metrics as m } from "../../catalogue/metrics";
import { thresholds as t } from "../../catalogue/thresholds";
import { ruleGroups } from "../../alerts/index";
import { alert, breaches, recording, type AnyAlert, type RuleGroupDef, type Severity } from "../../src/kit/alert";
import { current, sum } from "../../src/kit/promql";
import { compilePrometheusRules, defaultPrometheusRuleOptions, prometheusRuleResourcePaths } from "../../src/compile/prometheus-rules";
import { validatePrometheusRule } from "../../src/validate/prometheus-rule";
import { generateOutputs } from "../../src/pipeline/generate";
import { platformInput } from "../../scripts/platform";
import { BuildError } from "../../src/model/output";
import { formatFinding } from "../../src/model/finding";

const lag = (overrides: Partial<Parameters<typeof alert>[0]> = {}): AnyAlert =>
  alert({
    name: "TestConsumerLag",
    expr: breaches(sum(current(m.kafka_consumergroup_lag), { by: ["consumergroup", "topic"] }), t.consumerLagMessages),
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
/** What the build reports: the compiler's problems and the lint registry's errors on the written rule files. */
function buildMessages(groups: RuleGroupDef[]): string[] {
  try {
    generateOutputs({ ...platformInput, ruleGroups: groups });
    return [];
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    return e.problems.map(formatFinding);
  }
}

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

  it("the build names the group and rule for convention breaches (lint rules on the written file)", () => {
    const problems = buildMessages([
      group([
        lag({ name: "consumer_lag_is_too_high_for_comfort_and_more_words" }),
        lag({ name: "BadSeverity", severity: "page" as Severity }),
        lag({ name: "BadSummary", summary: "lag of {{ $labels.topic }}" }),
        lag({ name: "BadFor", for: "0m" }),
      ]),
    ]);
    const file = "out/prometheus/test-group.rules.yaml: test-group";
    expect(problems).toEqual(
      expect.arrayContaining([
        `${file} › consumer_lag_is_too_high_for_comfort_and_more_words: alert-name: alert name consumer_lag_is_too_high_for_comfort_and_more_words must be CamelCase ([A-Z][a-zA-Z0-9]*)`,
        `${file} › consumer_lag_is_too_high_for_comfort_and_more_words: alert-name: alert name is 51 characters (at most 40)`,
        `${file} › BadSeverity: alert-severity: label severity must be one of critical, warning, info; got "page"`,
        `${file} › BadSummary: alert-summary: summary must not be templated (put details in description)`,
        `${file} › BadSummary: alert-summary: summary must start with a capital letter`,
        `${file} › BadSummary: alert-summary: summary must end with a period`,
        `${file} › BadFor: alert-for-positive: for must be greater than 0`,
      ]),
    );
  });

  it("limits groups to 20 rules and alert names to one use", () => {
    const many = Array.from({ length: 21 }, (_, i) => lag({ name: `TestConsumerLag${i}` }));
    expect(buildMessages([group(many)])).toContain("out/prometheus/test-group.rules.yaml: test-group: rule-group-size: 21 rules in one group (at most 20): split it");
    expect(messages([group([lag()]), group([lag()], { name: "other-group" })])).toContain(
      'other-group › TestConsumerLag: duplicate alert name (first defined in group "test-group")',
    );
  });

  it("refuses $value in labels and recording names that say another window", () => {
    expect(buildMessages([group([lag({ labels: { lag: "{{ $value }}" } })])])).toContain(
      "out/prometheus/test-group.rules.yaml: test-group › TestConsumerLag: alert-value-in-labels: label lag uses $value: every new value makes a new alert; put it in an annotation",
    );
    const rec = recording("consumergroup:kafka_consumergroup_lag:rate1m", sum(current(m.kafka_consumergroup_lag), { by: ["consumergroup"] }));
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
