// template-syntax: label and annotation templates balance their braces.

import { correctness, type RuleRule } from "../../rule";

export const templateSyntax: RuleRule = {
  id: "template-syntax",
  scope: "rule",
  ...correctness("error"),
  summary: "`{{` and `}}` balance in label and annotation templates.",
  rationale: "Prometheus refuses a template that does not parse (promtool check rules).",
  cases: { bad: [{ rule: { annotations: { summary: "Kong fails.", description: "{{ $labels.service fails." } } }], good: [{}] },
  check(ctx, report) {
    for (const [k, v] of Object.entries({ ...ctx.labels, ...ctx.annotations }))
      if (typeof v === "string" && v.split("{{").length !== v.split("}}").length) report(`${k}: unbalanced {{ }} in template`);
  },
};
