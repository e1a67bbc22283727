// alert-value-in-labels: $value in labels makes a new alert per value.

import { correctness, type RuleRule } from "../../rule";

export const alertValueInLabels: RuleRule = {
  id: "alert-value-in-labels",
  scope: "rule",
  ...correctness("error"),
  summary: "No `$value` in labels (each new value would be a new alert).",
  rationale: "Labels identify an alert: a changing label resolves it and fires a new one on every evaluation. Anchor: pint alerts/template.",
  cases: { bad: [{ rule: { labels: { severity: "critical", value: "{{ $value }}" } } }], good: [{}] },
  check(ctx, report) {
    for (const [k, v] of Object.entries(ctx.labels))
      if (typeof v === "string" && /\$value\b|\.Value\b/.test(v)) report(`label ${k} uses $value: every new value makes a new alert; put it in an annotation`);
  },
};
