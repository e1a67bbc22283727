// Generate, then write: the build as scripts/build.ts and the tests run it.

import { generateOutputs, type BuildInput, type BuildResult } from "./generate";
import { writeOutputs } from "./write";

/** Throws BuildError (and writes nothing) when any definition is wrong. */
export async function runBuild(outDir: string, input: BuildInput): Promise<BuildResult> {
  const result = generateOutputs(input);
  await writeOutputs(result.files, outDir);
  return result;
}
