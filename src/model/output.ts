// What every compiler hands to the build: files to write under out/, and problems found.

/** A generated file; `path` is relative to the output folder and uses `/`. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/** One thing wrong with a definition, located by dashboard/panel or group/rule names. */
export interface Problem {
  /** Outermost first, e.g. ["service-mesh", "Service Error Rate"]. */
  readonly location: readonly string[];
  readonly message: string;
}

/** What a compiler returns: the files it would write, and what is wrong (then nothing is written). */
export interface Compiled {
  readonly files: OutputFile[];
  readonly problems: Problem[];
}

export function formatProblem(problem: Problem): string {
  return `${problem.location.join(" › ")}: ${problem.message}`;
}

/** Thrown when any definition is wrong; carries every problem, not only the first. */
export class BuildError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`build failed with ${problems.length} problem(s):\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.name = "BuildError";
  }
}
