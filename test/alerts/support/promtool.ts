// Finds and runs promtool. Missing promtool is a test failure with the install command,
// never a skip: the rule tests are the proof that the rules work.
// (test/support/prometheus.ts did not exist when this was written; fold into it once it does.)

import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export const promtoolInstallHint =
  "promtool is not on PATH. Install it with `apt-get update && apt-get install -y prometheus` (Debian's prometheus package ships /usr/bin/promtool).";

/** The absolute path of an executable on PATH, if there is one. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function requirePromtool(): string {
  const path = findOnPath("promtool");
  if (!path) throw new Error(promtoolInstallHint);
  return path;
}

export interface ToolRun {
  readonly status: number | null;
  readonly output: string;
}

export function runPromtool(args: readonly string[], cwd?: string): ToolRun {
  const result = spawnSync(requirePromtool(), args, { cwd, encoding: "utf8" });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
