// rule-group: groups promtool accepts.

import { parseDuration } from "../../duration";
import { correctness, type GroupRule } from "../../rule";

const GROUP_FIELDS = new Set(["name", "interval", "rules", "limit", "query_offset", "labels", "partial_response_strategy"]);

export const ruleGroup: GroupRule = {
  id: "rule-group",
  scope: "group",
  ...correctness("error"),
  stage: "input",
  summary: "Groups are mappings with a non-empty name unique in the file, only the fields promtool knows, a `rules` list and a valid `interval`.",
  rationale: "promtool check rules (and Prometheus at reload) refuse the whole file otherwise. Anchor: Prometheus model/rulefmt.",
  cases: {
    bad: [{ group: { name: "" } }, { group: { interval: "often" } }, { group: { rules: "none" } }, { group: { colour: "red" } }],
    good: [{ group: { interval: "1m" } }],
  },
  check(ctx, report) {
    const g = ctx.group;
    if (!ctx.isGroup) return report("a rule group must be a mapping");
    if (typeof g.name !== "string" || !g.name) report("rule group has no name");
    else if (ctx.earlier.has(g.name)) report(`group name ${g.name} is used twice in this file`);
    for (const key of Object.keys(g)) if (!GROUP_FIELDS.has(key)) report(`unknown group field ${key}`);
    if (g.interval !== undefined && !(typeof g.interval === "string" && parseDuration(g.interval))) report(`interval ${JSON.stringify(g.interval)} is not a duration`);
    if (!Array.isArray(g.rules)) report("group has no rules list");
  },
};
