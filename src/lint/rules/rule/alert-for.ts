// alert-for: `for` and `keep_firing_for` are Prometheus durations.

import { parseDuration } from "../../duration";
import { correctness, type RuleRule } from "../../rule";

export const alertFor: RuleRule = {
  id: "alert-for",
  scope: "rule",
  ...correctness("error"),
  summary: "`for` and `keep_firing_for` parse as Prometheus durations (units largest first, e.g. `1h30m`).",
  rationale: "promtool check rules refuses the file otherwise. Anchor: Prometheus model.ParseDuration.",
  cases: { bad: [{ rule: { for: "five minutes" } }, { rule: { for: "30s5m" } }, { rule: { keep_firing_for: "5" } }], good: [{ rule: { for: "1h30m", keep_firing_for: "5m" } }, { rule: { for: "0s" } }] },
  check(ctx, report) {
    for (const key of ["for", "keep_firing_for"]) {
      const v = ctx.rule[key];
      if (v !== undefined && (typeof v !== "string" || parseDuration(v) === undefined)) report(`${key} ${JSON.stringify(v)} is not a duration`);
    }
  },
};
