// rule-kind: a rule is an alert or a recording, with an expression.

import { correctness, type RuleRule } from "../../rule";

export const ruleKind: RuleRule = {
  id: "rule-kind",
  scope: "rule",
  ...correctness("error"),
  stage: "input",
  summary: "Rules are mappings with exactly one of `record`/`alert` (a non-empty string) and a non-empty `expr`.",
  rationale: "promtool check rules refuses the file otherwise. Anchor: Prometheus model/rulefmt.",
  cases: { bad: [{ rule: { record: "job:x:sum" } }, { rule: { alert: "" } }, { rule: { expr: " " } }], good: [{}] },
  check(ctx, report) {
    const r = ctx.rule;
    if (!ctx.isRule) return report("a rule must be a mapping");
    if ((r.alert !== undefined) === (r.record !== undefined)) report("a rule needs exactly one of record and alert");
    if (r.alert !== undefined && !ctx.alert) report("alert must be a non-empty string");
    if (r.record !== undefined && !ctx.record) report("record must be a non-empty string");
    if (typeof r.expr !== "string" || !r.expr.trim()) report("rule has no expr");
  },
};
