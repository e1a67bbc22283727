// npm run bench: prints build timings to compare changes against (budget: cold `npm run build`
// at most 1 s wall, median of 5). Figures only; nothing here passes or fails.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateOutputs } from "../src/pipeline/generate";
import { platformInput } from "./platform";

const repo = fileURLToPath(new URL("..", import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

const outDir = mkdtempSync(join(tmpdir(), "obs-bench-"));
try {
  const cold: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    execFileSync("npm", ["run", "-s", "build", "--", "--out", outDir], { cwd: repo, stdio: "ignore" });
    cold.push(performance.now() - started);
  }
  console.log(`cold npm run build (new process each, 5 runs): median ${fmt(median(cold))}, min ${fmt(Math.min(...cold))}, max ${fmt(Math.max(...cold))}`);

  generateOutputs(platformInput); // warm the module graph and validators
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    generateOutputs(platformInput);
    warm.push(performance.now() - started);
  }
  const { counts, files } = generateOutputs(platformInput);
  console.log(`in-process generation (20 runs): median ${fmt(median(warm))} for ${counts.dashboards} dashboards, ${counts.panels} panels, ${counts.alerts} alerts, ${files.length} files`);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
