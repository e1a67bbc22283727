// Runs promtool for the rule tests. Missing promtool fails the test with the install command
// (test/support/prometheus.ts's requireTool), never a skip: these tests are the rules' proof.
// Unlike test/support's runPromtool, this keeps stderr (where promtool prints warnings),
// the exit status and a working directory (rule_files paths are relative to the test file).

import { spawnSync } from "node:child_process";
import { requireTool } from "../../support/prometheus";

export function requirePromtool(): string {
  return requireTool("promtool");
}

export interface ToolRun {
  readonly status: number | null;
  readonly output: string;
}

export function runPromtool(args: readonly string[], cwd?: string): ToolRun {
  const result = spawnSync(requirePromtool(), args, { cwd, encoding: "utf8", timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
