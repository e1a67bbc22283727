// alert-for-positive: alerts wait before they page.

import { parseDuration } from "../../duration";
import { style, type RuleRule } from "../../rule";

export const alertForPositive: RuleRule = {
  id: "alert-for-positive",
  scope: "rule",
  ...style("error"),
  summary: "Alerts have a `for` greater than 0.",
  rationale: "Without it the alert fires on the first evaluation that matches: a blip pages. Others' files may mean `for: 0s` (valid Prometheus). Anchor: pint alerts/for.",
  cases: { bad: [{ rule: { for: "0s" } }, { rule: { for: undefined } }], good: [{}] },
  check(ctx, report) {
    if (ctx.alert === undefined) return;
    const v = ctx.rule.for;
    if (v === undefined) report("no `for`: the alert fires on the first evaluation that matches; a blip pages");
    else if (typeof v === "string" && parseDuration(v) === 0) report("for must be greater than 0");
  },
};
