// npm run build: compiles every definition into out/ (dashboards, ConfigMaps, PrometheusRules,
// rule files, manifest). Any problem fails the build and leaves out/ as it was.

import { fileURLToPath } from "node:url";
import { generateOutputs } from "../src/build/generate";
import { BuildError } from "../src/build/output";
import { writeOutputs } from "../src/build/write";

const outDir = fileURLToPath(new URL("../out", import.meta.url));

async function main(): Promise<number> {
  const started = performance.now();
  let result;
  try {
    result = generateOutputs();
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.error(error.message);
    console.error("out/ was left unchanged.");
    return 1;
  }
  await writeOutputs(result.files, outDir);
  const { dashboards, panels, alerts, recordings } = result.counts;
  const ms = Math.round(performance.now() - started);
  console.log(`built ${dashboards} dashboards (${panels} panels), ${alerts} alerts, ${recordings} recording rules: ${result.files.length} files in out/ (${ms} ms)`);
  return 0;
}

process.exitCode = await main();
