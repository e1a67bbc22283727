// The measured parts of `npm run bench:scale`, bundled with N generated dashboards and run each
// in its own process, as a user runs them: `build` (compile, validate, lint the own output,
// write) and `lint` (lint what was written). Each prints one JSON line of timings, CPU time and
// peak memory. The lint process loads what `npm run lint` loads: lint code, catalogue and
// build.config.ts, no definitions; the build loads its modules on demand as scripts/build.ts does.

import { join } from "node:path";
import { buildConfig } from "../build.config";
import { allMetrics } from "../catalogue/metrics";
import type { DashboardDef } from "../src/kit/dashboard";
import { defaultOptions, defaultTargets, lintFiles, loadConfig } from "../src/lint/index";

export interface PhaseResult {
  /** Phase name → milliseconds. */
  readonly phases: Readonly<Record<string, number>>;
  readonly counts: Readonly<Record<string, number>>;
  readonly maxRssMiB: number;
  /** User + system CPU time of the whole process, milliseconds. */
  readonly cpuMs: number;
}

const usage = () => {
  const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
  return { maxRssMiB: maxRSS / 1024, cpuMs: (userCPUTime + systemCPUTime) / 1000 };
};

/** `self`: the bundle running this, which serves the output lint worker as scripts/build.ts does. */
export async function buildPhase(definitions: () => Promise<readonly DashboardDef[]>, workDir: string, repoRoot: string, self: URL): Promise<PhaseResult> {
  let started = performance.now();
  const [dashboards, { generateOutputs }, { platformInput }, { outputLinterFor }] = await Promise.all([
    definitions(),
    import("../src/pipeline/generate"),
    import("./platform"),
    import("../src/pipeline/lint-output"),
  ]);
  const load = performance.now() - started;
  started = performance.now();
  const { files, counts } = generateOutputs({ ...platformInput, dashboards, ruleGroups: [] }, outputLinterFor(dashboards.length, self));
  const generate = performance.now() - started;
  started = performance.now();
  const { writeOutputs } = await import("../src/pipeline/write");
  await writeOutputs(files, join(workDir, "out"), repoRoot);
  return {
    phases: { "load definitions": load, "compile+validate+lint own output": generate, write: performance.now() - started },
    counts: { files: files.length, panels: counts.panels },
    ...usage(),
  };
}

export function lintPhase(workDir: string, repoRoot: string): PhaseResult {
  const started = performance.now();
  const config = loadConfig(join(repoRoot, "lint.config.yaml"), true);
  const options = defaultOptions(allMetrics, buildConfig.clusterLabel ? { clusterLabel: buildConfig.clusterLabel } : {});
  const lint = lintFiles({ paths: defaultTargets(workDir), discovered: true, root: workDir, config, options });
  return { phases: { lint: performance.now() - started }, counts: { linted: lint.files, findings: lint.findings.length + lint.inputErrors.length }, ...usage() };
}
