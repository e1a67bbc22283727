// internal: the linter's own failure, reported by the runners (run.ts) when a check throws.

import { correctness, type RunRule } from "../rule";

export const internal: RunRule = {
  id: "internal",
  scope: "run",
  ...correctness("error"),
  unsuppressible: true,
  summary: "The linter itself failed on this input (a bug to report); never suppressible.",
  rationale: "A check that throws must not hide the rest of the run, nor pass silently: the input is reported as not checked.",
  cases: { bad: [], good: [] },
};
