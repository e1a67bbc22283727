// Precision on rule files and dashboards the world already runs, linted with the foreign
// profile. Upstream files are not vendored (fetched code may not be committed): the full corpus
// is read from LINT_CORPUS_DIR or ../shared/corpus (layout: corpus/manifest.json); the alerts
// with real defects are quoted here, with their source, and promtool shows each defect real.

import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { allMetrics } from "../../catalogue/metrics";
import { DEFAULT_CONFIG, defaultOptions, lintFiles, type LintFinding } from "../../src/lint/index";
import { promtool } from "../support/prometheus";

const ROOT = join(import.meta.dirname, "../..");
const HERE = join(import.meta.dirname, "corpus");

interface Manifest {
  readonly sources: readonly { readonly dir: string; readonly repo: string; readonly commit: string; readonly licence: string; readonly files: readonly { readonly upstream: string; readonly file: string }[] }[];
}
interface Expected {
  readonly file: string;
  readonly location: readonly string[];
  readonly rule: string;
  readonly line: number;
  readonly verdict: "real" | "contested";
  readonly proof: string;
}

const manifest = JSON.parse(readFileSync(join(HERE, "manifest.json"), "utf8")) as Manifest;
const expected = JSON.parse(readFileSync(join(HERE, "expected.json"), "utf8")) as Expected[];
const corpusDir = process.env.LINT_CORPUS_DIR ?? join(ROOT, "../shared/corpus");
const corpusPresent = existsSync(join(corpusDir, manifest.sources[0]!.dir));

/** Errors of a foreign-profile run, as `file | location | rule` keys, files relative to `base`. */
function foreignErrors(paths: readonly string[], base: string): string[] {
  const result = lintFiles({ paths, discovered: false, root: ROOT, config: DEFAULT_CONFIG, options: defaultOptions(allMetrics), profile: "foreign" });
  expect(result.inputErrors).toEqual([]);
  return result.findings.filter((f: LintFinding) => f.severity === "error").map((f) => key(relative(base, resolve(f.file)), f.location, f.rule)).sort();
}
const key = (file: string, location: readonly string[], rule: string) => `${file} | ${location.join(" › ")} | ${rule}`;

describe("quoted upstream alerts with real defects", () => {
  const quoted = ["kube-prometheus-alertmanager", "awesome-prometheus-alerts"];

  it("the foreign profile reports exactly their template defects", () => {
    const errors = foreignErrors(quoted.map((q) => join(HERE, `${q}.rules.yaml`)), HERE);
    expect(errors).toEqual([
      "awesome-prometheus-alerts.rules.yaml | awesome-prometheus-alerts › IstioHigh4xxErrorRate | alert-labels-template",
      "awesome-prometheus-alerts.rules.yaml | awesome-prometheus-alerts › KafkaTopicsReplicas | alert-labels-template",
      "awesome-prometheus-alerts.rules.yaml | awesome-prometheus-alerts › KubernetesHpaUnderutilized | alert-labels-template",
      "awesome-prometheus-alerts.rules.yaml | awesome-prometheus-alerts › KubernetesHpaUnderutilized | alert-labels-template",
      "awesome-prometheus-alerts.rules.yaml | awesome-prometheus-alerts › KubernetesPodNotHealthy | alert-labels-template",
      "kube-prometheus-alertmanager.rules.yaml | alertmanager.rules › AlertmanagerClusterCrashlooping | alert-labels-template",
      "kube-prometheus-alertmanager.rules.yaml | alertmanager.rules › AlertmanagerClusterDown | alert-labels-template",
      "kube-prometheus-alertmanager.rules.yaml | alertmanager.rules › AlertmanagerClusterFailedToSendAlerts | alert-labels-template",
      "kube-prometheus-alertmanager.rules.yaml | alertmanager.rules › AlertmanagerClusterFailedToSendAlerts | alert-labels-template",
      "kube-prometheus-alertmanager.rules.yaml | alertmanager.rules › AlertmanagerConfigInconsistent | alert-labels-template",
    ]);
  });

  for (const q of quoted)
    it(`promtool: ${q} fires with the dropped label rendered empty`, () => {
      const run = promtool(["test", "rules", `${q}.test.yaml`], { cwd: HERE });
      expect(run.output).toContain("SUCCESS");
      expect(run.status).toBe(0);
    });
});

describe("precision corpus (foreign profile)", () => {
  it("every expected error names a manifest file, an upstream line, a verdict and its proof", () => {
    const files = new Set(manifest.sources.flatMap((s) => s.files.map((f) => `${s.dir}/${f.file}`)));
    for (const e of expected) {
      expect(files, e.file).toContain(e.file);
      expect(e.line).toBeGreaterThan(0);
      expect(["real", "contested"]).toContain(e.verdict);
      expect(e.proof.length).toBeGreaterThan(20);
    }
    for (const s of manifest.sources) expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it(
    corpusPresent
      ? `lints the pinned corpus at ${corpusDir}: the errors are exactly the expected list`
      : `the pinned corpus is not at ${corpusDir} (set LINT_CORPUS_DIR): only the quoted alerts above are checked`,
    () => {
      if (!corpusPresent) {
        // Still hold the expected list to the quoted alerts it names.
        const quotedNames = new Set(["AlertmanagerClusterFailedToSendAlerts", "AlertmanagerConfigInconsistent", "AlertmanagerClusterDown", "AlertmanagerClusterCrashlooping", "IstioHigh4xxErrorRate", "KafkaTopicsReplicas", "KubernetesHpaUnderutilized", "KubernetesPodNotHealthy"]);
        expect(expected.filter((e) => quotedNames.has(e.location[e.location.length - 1]!))).toHaveLength(10);
        return;
      }
      const paths = manifest.sources.flatMap((s) => s.files.map((f) => join(corpusDir, s.dir, f.file)));
      expect(foreignErrors(paths, corpusDir)).toEqual(expected.map((e) => key(e.file, e.location, e.rule)).sort());
    },
    120_000,
  );
});
