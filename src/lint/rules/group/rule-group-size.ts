// rule-group-size: groups small enough to evaluate on time and to read.

import { style, type GroupRule } from "../../rule";

const MAX_RULES_PER_GROUP = 20;

export const ruleGroupSize: GroupRule = {
  id: "rule-group-size",
  scope: "group",
  ...style("error"),
  summary: `Between 1 and ${MAX_RULES_PER_GROUP} rules per group (mixtool).`,
  rationale: "A group's rules run one after another each interval; big groups fall behind and are hard to review. Anchor: mixtool lint.",
  cases: { bad: [{ group: { rules: Array.from({ length: MAX_RULES_PER_GROUP + 1 }, () => ({ record: "job:up:sum", expr: "sum by (job) (up)" })) } }, { group: { rules: [] } }], good: [{}] },
  check(ctx, report) {
    const n = Array.isArray(ctx.group.rules) ? ctx.group.rules.length : undefined;
    if (n === 0) report("group has no rules");
    else if (n !== undefined && n > MAX_RULES_PER_GROUP) report(`${n} rules in one group (at most ${MAX_RULES_PER_GROUP}): split it`);
  },
};
