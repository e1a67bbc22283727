// schema/prometheusrule.validate.js is @kubernetes-models' PrometheusRule validator bundled
// without its RE2 WebAssembly runtime. Judged against that package's own model class: the
// same resources must pass and fail at the same paths.

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { AlertmanagerConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig";
import { validateAlertmanagerConfig, validatePrometheusRule as validate } from "../../schema/prometheusrule.validate.js";
import { generateOutputs } from "../../src/pipeline/generate";
import { platformInput } from "../../scripts/platform";

type Fields = Record<string, unknown>;
interface Resource extends Fields {
  metadata: Fields;
  spec: { groups: (Fields & { rules: Fields[] })[] };
}

const generated: Resource[] = generateOutputs(platformInput)
  .files.filter((f) => f.path.startsWith("k8s/prometheusrule-"))
  .map((f) => parse(f.content) as Resource);

/** Error paths from kubernetes-models' own validation (undefined when valid). */
function referencePaths(resource: Resource): string[] {
  try {
    // Deliberately invalid data: the model's type would not admit it.
    new PrometheusRule(resource as unknown as ConstructorParameters<typeof PrometheusRule>[0]).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: { instancePath: string }[] }).errors;
    if (!errors) throw error;
    return errors.map((e) => e.instancePath).sort();
  }
}

function bundledPaths(resource: Resource): string[] {
  return validate(resource) ? [] : (validate.errors ?? []).map((e) => e.instancePath).sort();
}

const group = (r: Resource) => r.spec.groups[0]!;
const lastRule = (r: Resource) => group(r).rules.at(-1)!;

const mutations: Record<string, (r: Resource) => void> = {
  "for without unit order": (r) => (lastRule(r).for = "5m1h"),
  "for with an unknown unit": (r) => (lastRule(r).for = "5x"),
  "keep_firing_for empty": (r) => (lastRule(r).keep_firing_for = ""),
  "numeric label": (r) => (lastRule(r).labels = { tier: 1 }),
  "missing expr": (r) => delete lastRule(r).expr,
  "numeric expr (int-or-string)": (r) => (lastRule(r).expr = 1),
  "object expr": (r) => (lastRule(r).expr = { a: 1 }),
  "partial_response_strategy upper-case (RE2 (?i))": (r) => (group(r).partial_response_strategy = "WARN"),
  "partial_response_strategy unknown": (r) => (group(r).partial_response_strategy = "ignore"),
  "group interval not a duration": (r) => (group(r).interval = "often"),
  "empty group name": (r) => (group(r).name = ""),
  "wrong kind": (r) => (r.kind = "PrometheusRules"),
  "missing spec": (r) => delete (r as Fields).spec,
  "numeric metadata name": (r) => (r.metadata.name = 5),
  "labels not a map": (r) => (r.metadata.labels = ["a"]),
};

describe("bundled PrometheusRule validator", () => {
  it("accepts every generated PrometheusRule, as kubernetes-models does", () => {
    expect(generated.length).toBeGreaterThan(0);
    for (const resource of generated) {
      expect(referencePaths(resource)).toEqual([]);
      expect(bundledPaths(resource)).toEqual([]);
    }
  });

  for (const [name, mutate] of Object.entries(mutations)) {
    it(`agrees with kubernetes-models: ${name}`, () => {
      const resource = structuredClone(generated[0]!);
      mutate(resource);
      expect(bundledPaths(resource)).toEqual(referencePaths(resource));
    });
  }

  it("at least one mutation is refused and one accepted, so agreement means something", () => {
    const verdicts = Object.values(mutations).map((mutate) => {
      const resource = structuredClone(generated[0]!);
      mutate(resource);
      return bundledPaths(resource).length === 0;
    });
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
  });
});

describe("bundled AlertmanagerConfig validator", () => {
  const config = parse(generateOutputs(platformInput).files.find((f) => f.path.startsWith("k8s/alertmanagerconfig-"))!.content) as Fields;
  const reference = (object: Fields): string[] => {
    try {
      // Deliberately invalid data in some cases: the model's type would not admit it.
      new AlertmanagerConfig(object as unknown as ConstructorParameters<typeof AlertmanagerConfig>[0]).validate();
      return [];
    } catch (error) {
      const errors = (error as { errors?: { instancePath: string }[] }).errors;
      if (!errors) throw error;
      return errors.map((e) => e.instancePath).sort();
    }
  };
  const bundled = (object: Fields) => (validateAlertmanagerConfig(object) ? [] : (validateAlertmanagerConfig.errors ?? []).map((e) => e.instancePath).sort());

  it("accepts the generated inhibitions, as kubernetes-models does", () => {
    expect(reference(config)).toEqual([]);
    expect(bundled(config)).toEqual([]);
  });

  it("agrees with kubernetes-models on a bad matchType and a month range with (?i) groups", () => {
    const bad = structuredClone(config);
    ((bad.spec as { inhibitRules: { sourceMatch: Fields[] }[] }).inhibitRules[0]!.sourceMatch[0]!).matchType = "~";
    expect(bundled(bad)).toEqual(reference(bad));
    expect(bundled(bad).length).toBeGreaterThan(0);
    for (const months of ["JANUARY", "march:May", "13", "smarch"]) {
      const withInterval = structuredClone(config);
      (withInterval.spec as Fields).muteTimeIntervals = [{ name: "m", timeIntervals: [{ months: [months] }] }];
      expect(bundled(withInterval), months).toEqual(reference(withInterval));
    }
  });
});
