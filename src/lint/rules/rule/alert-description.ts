// alert-description: a templated description that says which series fired.

import { style, type RuleRule } from "../../rule";

export const alertDescription: RuleRule = {
  id: "alert-description",
  scope: "rule",
  ...style("error"),
  summary: "Annotation `description` present and templated.",
  rationale: "The description is where the person paged learns which service, topic or pod fired, and how bad it is. Anchor: mixtool lint.",
  cases: { bad: [{ rule: { annotations: { summary: "Kong fails.", description: "Kong fails a lot." } } }, { rule: { annotations: { summary: "Kong fails." } } }], good: [{}] },
  check(ctx, report) {
    if (ctx.alert === undefined) return;
    const description = ctx.annotations.description;
    if (typeof description !== "string" || !description.trim()) report("annotation description is missing");
    else if (!description.includes("{{")) report("description should be templated ({{ $labels.x }}, {{ $value }}) to say which series fired");
  },
};
