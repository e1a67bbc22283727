// The measured part of `npm run bench:scale`, bundled with N generated dashboards and run in
// its own process: build (compile + validate), write and lint, as `npm run build` and
// `npm run lint` do them. Prints one JSON line of phase timings and peak memory.

import { join } from "node:path";
import type { DashboardDef } from "../src/kit/dashboard";
import { defaultOptions, defaultTargets, lintFiles, loadConfig } from "../src/lint/index";
import { generateOutputs } from "../src/pipeline/generate";
import { writeOutputs } from "../src/pipeline/write";
import { platformCatalogue, platformInput } from "./platform";

export interface ScaleResult {
  readonly generateMs: number;
  readonly writeMs: number;
  readonly lintMs: number;
  readonly files: number;
  readonly panels: number;
  readonly lintedFiles: number;
  readonly findings: number;
  readonly maxRssMiB: number;
}

export async function runScale(dashboards: readonly DashboardDef[], workDir: string, repoRoot: string): Promise<ScaleResult> {
  let started = performance.now();
  const { files, counts } = generateOutputs({ ...platformInput, dashboards, ruleGroups: [] });
  const generateMs = performance.now() - started;

  started = performance.now();
  await writeOutputs(files, join(workDir, "out"), repoRoot);
  const writeMs = performance.now() - started;

  started = performance.now();
  const config = loadConfig(join(repoRoot, "lint.config.yaml"), true);
  const lint = lintFiles({ paths: defaultTargets(workDir), discovered: true, root: workDir, config, options: defaultOptions(platformCatalogue) });
  const lintMs = performance.now() - started;

  return {
    generateMs,
    writeMs,
    lintMs,
    files: files.length,
    panels: counts.panels,
    lintedFiles: lint.files,
    findings: lint.findings.length + lint.inputErrors.length,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}
