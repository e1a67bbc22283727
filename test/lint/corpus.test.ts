// Precision on rule files and dashboards the world already runs, linted with the foreign
// profile. Upstream files are not vendored (fetched code may not be committed): the full corpus
// is read from LINT_CORPUS_DIR or ../shared/corpus (layout: corpus/manifest.json); the alerts
// with real defects are quoted here, with their source, and promtool shows each defect real.

import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { allMetrics } from "../../catalogue/metrics";
import { DEFAULT_CONFIG, defaultOptions, lintFiles, lintQuery, type LintFinding } from "../../src/lint/index";
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
  /** Dashboards: the target's expression, quoted. */
  readonly expr?: string;
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

/** Expected errors of the rule files, by alert: the quoted alerts must produce exactly these. */
const expectedRuleErrors = expected
  .filter((e) => /\.ya?ml$/.test(e.file))
  .map((e) => `${e.location[e.location.length - 1]} | ${e.rule}`)
  .sort();

describe("quoted upstream alerts with real defects", () => {
  const quoted = ["kube-prometheus-alertmanager", "awesome-prometheus-alerts"];

  it("the foreign profile reports exactly the expected rule-file errors on them", () => {
    const result = lintFiles({ paths: quoted.map((q) => join(HERE, `${q}.rules.yaml`)), discovered: false, root: ROOT, config: DEFAULT_CONFIG, options: defaultOptions(allMetrics), profile: "foreign" });
    const errors = result.findings.filter((f) => f.severity === "error").map((f) => `${f.location[f.location.length - 1]} | ${f.rule}`);
    expect(errors.sort()).toEqual(expectedRuleErrors);
    expect(errors).toHaveLength(19);
  });

  for (const q of quoted)
    it(`promtool: ${q} fires with the dropped label rendered empty`, () => {
      const run = promtool(["test", "rules", `${q}.test.yaml`], { cwd: HERE });
      expect(run.output).toContain("SUCCESS");
      expect(run.status).toBe(0);
    });

  it("the quoted dashboard expressions give their expected errors", () => {
    for (const e of expected.filter((x) => x.expr !== undefined)) {
      const findings = lintQuery(e.expr!, { mode: "dashboard", profile: "foreign" }, defaultOptions(allMetrics)).findings;
      expect(findings.map((f) => f.rule.id), e.file).toContain(e.rule);
    }
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

  // Never a skip: without the corpus files the name says so, and every expected error must then
  // be reproduced by the quoted alerts and expressions above.
  it(
    corpusPresent
      ? `lints the pinned corpus at ${corpusDir}: the errors are exactly the expected list`
      : `pinned corpus absent at ${corpusDir} (set LINT_CORPUS_DIR): every expected error is covered by a quoted alert or expression`,
    () => {
      if (process.env.LINT_CORPUS_DIR !== undefined) expect(corpusPresent, `LINT_CORPUS_DIR=${corpusDir} holds no corpus`).toBe(true);
      if (!corpusPresent) {
        expect(expected.filter((e) => /\.ya?ml$/.test(e.file) === (e.expr !== undefined))).toEqual([]);
        expect(expected.filter((e) => e.expr === undefined)).toHaveLength(expectedRuleErrors.length);
        return;
      }
      const paths = manifest.sources.flatMap((s) => s.files.map((f) => join(corpusDir, s.dir, f.file)));
      expect(foreignErrors(paths, corpusDir)).toEqual(expected.map((e) => key(e.file, e.location, e.rule)).sort());
    },
    120_000,
  );
});
