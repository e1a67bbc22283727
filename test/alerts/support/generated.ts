// Compiles the real rule groups into a temporary out/-like folder for promtool:
//   <tmp>/prometheus/<group>.rules.yaml   (what the build writes to out/prometheus)
//   <tmp>/promtool/<group>.test.yaml      (copied from test/alerts/promtool)
// The test files say `rule_files: [../prometheus/<group>.rules.yaml]`, relative to themselves.

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ruleGroups } from "../../../alerts/index";
import { compilePrometheusRules } from "../../../src/compile/prometheus-rules";
import type { Compiled } from "../../../src/model/output";

export const promtoolTestDir = join(dirname(fileURLToPath(import.meta.url)), "..", "promtool");

export function promtoolTestFiles(): string[] {
  return readdirSync(promtoolTestDir)
    .filter((name) => name.endsWith(".test.yaml"))
    .sort();
}

export interface GeneratedRules {
  readonly root: string;
  readonly compiled: Compiled;
}

export function generateRulesIntoTempDir(): GeneratedRules {
  const root = mkdtempSync(join(tmpdir(), "carbon-rules-"));
  const compiled = compilePrometheusRules(ruleGroups);
  for (const file of compiled.files) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  mkdirSync(join(root, "promtool"), { recursive: true });
  for (const name of promtoolTestFiles()) copyFileSync(join(promtoolTestDir, name), join(root, "promtool", name));
  return { root, compiled };
}
