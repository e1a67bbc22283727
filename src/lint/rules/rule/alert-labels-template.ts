// alert-labels-template: templates name only labels the alert's series can have.

import { correctness, type RuleRule } from "../../rule";

export const alertLabelsTemplate: RuleRule = {
  id: "alert-labels-template",
  scope: "rule",
  ...correctness("error"),
  summary:
    "`$labels.x` / `.Labels.x` in labels and annotations name labels the expression can produce (checked where the result labels are known: after aggregations, or catalogue metrics in own files).",
  rationale: "A dropped label renders as an empty string: the notification says \"job  is down\". Anchor: pint alerts/template.",
  cases: {
    bad: [{ rule: { annotations: { summary: "Kong fails.", description: "{{ $labels.route }} returns {{ $value }} 5xx." } } }],
    good: [{}, { rule: { labels: { severity: "critical", team: "edge" }, annotations: { summary: "Kong fails.", description: "{{ $labels.team }}: {{ $labels.service }}." } } }],
  },
  check(ctx, report) {
    const available = ctx.root?.labels;
    if (!available) return;
    const produced = new Set([...available, ...Object.keys(ctx.labels), "alertname"]);
    for (const [k, v] of Object.entries({ ...ctx.labels, ...ctx.annotations })) {
      if (typeof v !== "string") continue;
      const named = new Set([...v.matchAll(/(?:\$labels|\.Labels)\.([a-zA-Z_][a-zA-Z0-9_]*)/g)].map((m) => m[1]!));
      for (const label of named)
        if (!produced.has(label)) report(`${k} uses $labels.${label}, which the expression cannot produce (it keeps ${[...available].join(", ") || "no labels"})`);
    }
  },
};
