// npm run build [-- --out DIR]: compiles every definition into out/ (dashboards, ConfigMaps,
// PrometheusRules, rule files, manifest). Any problem fails the build and leaves out/ as it was.

import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BuildError } from "../src/model/output";
import { runBuild } from "../src/pipeline/run";
import { platformInput } from "./platform";

const defaultOut = fileURLToPath(new URL("../out", import.meta.url));

async function main(): Promise<number> {
  let outDir: string;
  try {
    const { values } = parseArgs({ options: { out: { type: "string" } }, strict: true });
    outDir = resolve(values.out ?? defaultOut);
  } catch (error) {
    console.error(`usage: npm run build [-- --out DIR]\n${(error as Error).message}`);
    return 2;
  }
  const started = performance.now();
  try {
    const { counts, files } = await runBuild(outDir, platformInput);
    const ms = Math.round(performance.now() - started);
    console.log(
      `built ${counts.dashboards} dashboards (${counts.panels} panels), ${counts.alerts} alerts, ${counts.recordings} recording rules: ${files.length} files in ${relative(process.cwd(), outDir) || "."}/ (${ms} ms)`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.error(error.message);
    console.error(`${relative(process.cwd(), outDir) || "."}/ was left unchanged.`);
    return 1;
  }
}

process.exitCode = await main();
