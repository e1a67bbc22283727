// The rules, proven with Prometheus's own tool: `promtool check rules` on every generated rule
// file and `promtool test rules` on the hand-written unit tests in test/alerts/promtool.

import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRulesIntoTempDir, promtoolTestFiles, type GeneratedRules } from "./support/generated";
import { promtool, requireTool } from "../support/prometheus";

let generated: GeneratedRules;

beforeAll(() => {
  generated = generateRulesIntoTempDir();
});
afterAll(() => {
  if (generated) rmSync(generated.root, { recursive: true, force: true });
});

describe("promtool", () => {
  it("is installed (apt-get install -y prometheus)", () => {
    expect(requireTool("promtool")).toMatch(/promtool$/);
  });

  it("compiles the rule groups without problems", () => {
    expect(generated.compiled.problems).toEqual([]);
  });

  const ruleFiles = () => generated.compiled.files.filter((f) => f.path.startsWith("prometheus/")).map((f) => f.path);

  it("check rules accepts every generated rule file, without duplicate-rule warnings", () => {
    expect(ruleFiles().length).toBeGreaterThan(0);
    for (const path of ruleFiles()) {
      const run = promtool(["check", "rules", join(generated.root, path)]);
      expect(run.output, path).toContain("SUCCESS");
      expect(run.output, path).not.toMatch(/duplicate|WARNING|FAILED/i);
      expect(run.status, `${path}\n${run.output}`).toBe(0);
    }
  });

  it.each(promtoolTestFiles())("test rules passes %s", (name) => {
    const run = promtool(["test", "rules", join("promtool", name)], { cwd: generated.root });
    expect(run.output).toContain("SUCCESS");
    expect(run.status, run.output).toBe(0);
  });
});
