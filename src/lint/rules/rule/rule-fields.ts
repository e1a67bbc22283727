// rule-fields: only fields promtool knows; valid label and annotation names; string labels.

import { correctness, type RuleRule } from "../../rule";
import { isObject } from "../../types";

const RULE_FIELDS = new Set(["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]);
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const ruleFields: RuleRule = {
  id: "rule-fields",
  scope: "rule",
  ...correctness("error"),
  summary: "Only rule fields promtool knows; `labels` and `annotations` are mappings with valid names (labels not starting `__`), and label values are strings.",
  rationale: "promtool check rules refuses the file otherwise. Anchor: Prometheus model/rulefmt.",
  cases: { bad: [{ rule: { summary: "misplaced" } }, { rule: { labels: { severity: "critical", "team-name": "x" } } }, { rule: { labels: { severity: "critical", tier: 1 } } }], good: [{}] },
  check(ctx, report) {
    const r = ctx.rule;
    for (const key of Object.keys(r)) if (!RULE_FIELDS.has(key)) report(`unknown rule field ${key}`);
    if (r.labels !== undefined && !isObject(r.labels)) report("labels must be a mapping");
    if (r.annotations !== undefined && !isObject(r.annotations)) report("annotations must be a mapping");
    for (const [k, v] of Object.entries(ctx.labels)) {
      if (!LABEL_NAME.test(k) || k.startsWith("__")) report(`invalid label name ${k}`);
      if (typeof v !== "string") report(`label ${k} must be a string`);
    }
    for (const k of Object.keys(ctx.annotations)) if (!LABEL_NAME.test(k)) report(`invalid annotation name ${k}`);
  },
};
