// npm run build [-- --out DIR]: type-checks every definition and compiles it into out/
// (dashboards, ConfigMaps, PrometheusRules, rule files, manifest). A type error, a problem in
// a definition or an output folder the build must not replace fails the build and leaves
// the output folder as it was. npm runs this through scripts/launch.mjs (cached bundle,
// type check started first); `tsx scripts/build.ts` runs it directly.

import { relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";
import { BuildError } from "../src/model/output";
import { OutDirError } from "../src/pipeline/out-dir";
import type { BuildResult } from "../src/pipeline/generate";
import { outputLinterFor, serveOutputLint } from "../src/pipeline/lint-output";
import { writeOutputs } from "../src/pipeline/write";
import { outDirOf, startTypeCheck, USAGE } from "./build-support.mjs";

export interface BuildContext {
  /** The repository: never replaced, nor any folder above it. */
  readonly repoRoot: string;
  /** The type check, already started by the launcher. */
  readonly typeCheck: Promise<{ ok: boolean; output: string }>;
  /** The launcher's bundle of this module: a large build lints its output in a worker running it. */
  readonly self?: URL;
}

// In the output lint worker this module only serves it.
const servingOutputLint = serveOutputLint(parentPort);

/** Exit code 0 built, 1 refused (type error, bad definition, unsafe --out), 2 bad usage. */
export async function main(argv: readonly string[], context: BuildContext): Promise<{ code: number; result?: BuildResult; outDir?: string }> {
  const started = performance.now();
  let outDir: string;
  try {
    outDir = outDirOf(argv, context.repoRoot);
  } catch (error) {
    console.error(`${USAGE}\n${(error as Error).message}`);
    return { code: 2 };
  }
  const shown = `${relative(process.cwd(), outDir) || "."}/`;
  try {
    // Generation runs while the type checker does; nothing is written before both pass.
    let generated: BuildResult | undefined;
    let generationError: unknown;
    try {
      // Imported here, not above: evaluating a definition with a type error may throw, and
      // then the type checker's report is the one to show.
      const [{ generateOutputs }, { platformInput }] = await Promise.all([import("../src/pipeline/generate"), import("./platform")]);
      generated = generateOutputs(platformInput, outputLinterFor(platformInput.dashboards.length, context.self));
    } catch (error) {
      generationError = error;
    }
    const typeCheck = await context.typeCheck;
    if (!typeCheck.ok) {
      // A type error explains any crash of generation (e.g. a misspelled metric is undefined).
      console.error(`${typeCheck.output}\n\ntype check failed: ${shown} was left unchanged.`);
      return { code: 1 };
    }
    if (!generated) throw generationError;
    await writeOutputs(generated.files, outDir, context.repoRoot);
    const { counts, files } = generated;
    const ms = Math.round(performance.now() - started);
    console.log(
      `built ${counts.dashboards} dashboards (${counts.panels} panels), ${counts.alerts} alerts, ${counts.recordings} recording rules: ${files.length} files in ${shown} (${ms} ms)`,
    );
    return { code: 0, result: generated, outDir };
  } catch (error) {
    if (!(error instanceof BuildError) && !(error instanceof OutDirError)) throw error;
    console.error(`${error.message}\n${shown} was left unchanged.`);
    return { code: 1 };
  }
}

// Run directly (tsx scripts/build.ts): type-check here, then build.
if (!servingOutputLint && process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const repoRoot = fileURLToPath(new URL("..", import.meta.url));
  process.exitCode = (await main(process.argv.slice(2), { repoRoot, typeCheck: startTypeCheck(repoRoot) })).code;
}
