// What every compiler hands to the build: files to write under out/, and problems found.

import { formatFinding, type Finding } from "./finding";

/** A generated file; `path` is relative to the output folder and uses `/`. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/** What a compiler returns: the files it would write, and what is wrong (then nothing is written). */
export interface Compiled {
  readonly files: OutputFile[];
  readonly problems: Finding[];
}

/** Thrown when any definition is wrong; carries every problem, not only the first. */
export class BuildError extends Error {
  constructor(readonly problems: readonly Finding[]) {
    super(`build failed with ${problems.length} problem(s):\n${problems.map((p) => `  - ${formatFinding(p)}`).join("\n")}`);
    this.name = "BuildError";
  }
}
