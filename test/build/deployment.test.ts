// build.config.ts's deployment declaration, as the build applies it: a source declared absent
// loses its "signal missing" guard and the inhibitions it sources, and its panels say so; a
// declaration that does not match the catalogue fails the build, naming the source.

import { describe, expect, it } from "vitest";
import { platformInput } from "../../scripts/platform";
import { BuildError } from "../../src/model/output";
import { generateOutputs, type BuildInput } from "../../src/pipeline/generate";

const withSources = (changes: Record<string, boolean | undefined>): BuildInput => {
  const deployedSources = Object.fromEntries(
    Object.entries({ ...platformInput.config.deployedSources, ...changes }).filter((e): e is [string, boolean] => e[1] !== undefined),
  );
  return { ...platformInput, config: { ...platformInput.config, deployedSources } };
};
const filesOf = (input: BuildInput) => new Map(generateOutputs(input).files.map((f) => [f.path, f.content]));
const problemsOf = (input: BuildInput): string[] => {
  try {
    generateOutputs(input);
    return [];
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    return error.problems.map((p) => `${p.location.join(" › ")}: ${p.message}`);
  }
};

describe("a source declared absent", () => {
  const as = filesOf(platformInput);
  const without = filesOf(withSources({ "envoy-cluster-stats": false }));

  it("loses its guard, and the inhibitions that guard sources", () => {
    expect(as.get("prometheus/service-mesh.rules.yaml")).toContain("alert: EnvoyClusterStatsMissing");
    expect(without.get("prometheus/service-mesh.rules.yaml")).not.toContain("EnvoyClusterStatsMissing");
    expect(as.get("alertmanager/inhibit-rules.yaml")).toContain('alertname="EnvoyClusterStatsMissing"');
    expect(without.get("alertmanager/inhibit-rules.yaml")).not.toContain("EnvoyClusterStatsMissing");
  });

  it("keeps the alerts that read it, and its panels say it is not deployed", () => {
    expect(without.get("prometheus/service-mesh.rules.yaml")).toContain("alert: CircuitBreakerTriggered");
    const panel = (files: Map<string, string>) =>
      (JSON.parse(files.get("dashboards/service-mesh.json")!) as { panels: { title: string; description: string }[] }).panels.find((p) => p.title === "Circuit Breaker Status")!;
    expect(panel(as).description).not.toMatch(/build\.config\.ts declares it absent/);
    expect(panel(without).description).toMatch(/No data yet: nothing emits envoy_cluster_\w+ until its source runs \(build\.config\.ts declares it absent\)/);
  });

  it("as declared today (the platform's own metrics absent): their guards are not compiled", () => {
    const rules = [...as].filter(([path]) => path.startsWith("prometheus/")).map(([, text]) => text).join("\n");
    expect(rules).not.toMatch(/PlatformEventMetricsMissing|GatewayCacheMetricsMissing/);
    expect(rules).toMatch(/alert: KafkaExporterAbsent/);
  });
});

describe("a declaration that does not match the catalogue fails the build", () => {
  it("a catalogue source left undeclared", () => {
    expect(problemsOf(withSources({ "kafka-jmx": undefined }))).toEqual([
      'build.config.ts: metric source "kafka-jmx" is not declared deployed (true) or absent (false) in build.config.ts',
    ]);
  });

  it("a declaration no metric has", () => {
    expect(problemsOf(withSources({ "kafka-connect": true }))).toEqual(['build.config.ts: build.config.ts declares source "kafka-connect", which no catalogue metric has']);
  });

  it("a source declared deployed that the catalogue says nothing emits yet", () => {
    expect(problemsOf(withSources({ "platform-events": true }))).toEqual([
      'build.config.ts: metric source "platform-events" is declared deployed, but the catalogue says nothing emits it until the platform event libraries expose it (README, Platform-owned metrics)',
    ]);
  });
});
