// alert-severity: one of the project's severities.

import { severities } from "../../../model/alert";
import { style, type RuleRule } from "../../rule";

export const alertSeverity: RuleRule = {
  id: "alert-severity",
  scope: "rule",
  ...style("error"),
  summary: `Label \`severity\` is one of ${severities.map((s) => `\`${s}\``).join(", ")}.`,
  rationale: "Alertmanager routes on it; a value no route knows goes to the default receiver. Others' files use their own (kube-prometheus's Watchdog has `none`). Anchor: mixtool lint.",
  cases: { bad: [{ rule: { labels: { severity: "page" } } }, { rule: { labels: {} } }], good: [{}] },
  check(ctx, report) {
    if (ctx.alert === undefined) return;
    const severity = ctx.labels.severity;
    if (typeof severity !== "string" || !(severities as readonly string[]).includes(severity))
      report(`label severity must be one of ${severities.join(", ")}; got ${JSON.stringify(severity ?? null)}`);
  },
};
