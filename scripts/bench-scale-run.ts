// The measured parts of `npm run bench:scale`, bundled with N generated dashboards and run each
// in its own process, as a user runs them: `build` (compile, validate, lint the own output,
// write) and `lint` (lint what was written). Each prints one JSON line of timings and peak memory.

import { join } from "node:path";
import type { DashboardDef } from "../src/kit/dashboard";
import { defaultOptions, defaultTargets, lintFiles, loadConfig } from "../src/lint/index";
import { generateOutputs } from "../src/pipeline/generate";
import { writeOutputs } from "../src/pipeline/write";
import { platformCatalogue, platformInput } from "./platform";

export interface PhaseResult {
  /** Phase name → milliseconds. */
  readonly phases: Readonly<Record<string, number>>;
  readonly counts: Readonly<Record<string, number>>;
  readonly maxRssMiB: number;
}

const maxRssMiB = () => process.resourceUsage().maxRSS / 1024;

export async function buildPhase(dashboards: readonly DashboardDef[], workDir: string, repoRoot: string): Promise<PhaseResult> {
  let started = performance.now();
  const { files, counts } = generateOutputs({ ...platformInput, dashboards, ruleGroups: [] });
  const generate = performance.now() - started;
  started = performance.now();
  await writeOutputs(files, join(workDir, "out"), repoRoot);
  return { phases: { "compile+validate+lint own output": generate, write: performance.now() - started }, counts: { files: files.length, panels: counts.panels }, maxRssMiB: maxRssMiB() };
}

export function lintPhase(workDir: string, repoRoot: string): PhaseResult {
  const started = performance.now();
  const config = loadConfig(join(repoRoot, "lint.config.yaml"), true);
  const lint = lintFiles({ paths: defaultTargets(workDir), discovered: true, root: workDir, config, options: defaultOptions(platformCatalogue) });
  return { phases: { lint: performance.now() - started }, counts: { linted: lint.files, findings: lint.findings.length + lint.inputErrors.length }, maxRssMiB: maxRssMiB() };
}
