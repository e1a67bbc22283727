// alert-summary: a plain one-sentence summary.

import { style, type RuleRule } from "../../rule";

export const alertSummary: RuleRule = {
  id: "alert-summary",
  scope: "rule",
  ...style("error"),
  summary: "Annotation `summary` present, not templated, starts upper-case, ends with a period.",
  rationale: "Summaries group alerts in notifications, so they must not vary per series; the details go in the description. Anchor: mixtool lint.",
  cases: {
    bad: [
      { rule: { annotations: { summary: "kong returns many 5xx.", description: "{{ $labels.service }} fails." } } },
      { rule: { annotations: { summary: "Kong returns many 5xx", description: "{{ $labels.service }} fails." } } },
      { rule: { annotations: { summary: "{{ $labels.service }} fails.", description: "{{ $labels.service }} fails." } } },
    ],
    good: [{}],
  },
  check(ctx, report) {
    if (ctx.alert === undefined) return;
    const summary = ctx.annotations.summary;
    if (typeof summary !== "string" || !summary.trim()) return report("annotation summary is missing");
    if (summary.includes("{{")) report("summary must not be templated (put details in description)");
    if (!/^[A-Z]/.test(summary)) report("summary must start with a capital letter");
    if (!summary.trimEnd().endsWith(".")) report("summary must end with a period");
  },
};
