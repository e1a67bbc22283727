// alert-name: CamelCase names of at most 40 characters.

import { style, type RuleRule } from "../../rule";

const MAX_LENGTH = 40;

export const alertName: RuleRule = {
  id: "alert-name",
  scope: "rule",
  ...style("error"),
  summary: `Alert names are CamelCase (\`[A-Z][a-zA-Z0-9]*\`), at most ${MAX_LENGTH} characters.`,
  rationale: "One naming scheme reads well in Alertmanager and fits pager subjects. Anchor: mixtool lint.",
  cases: { bad: [{ rule: { alert: "kong_high_error_rate" } }, { rule: { alert: "A".repeat(MAX_LENGTH + 1) } }], good: [{ rule: { alert: "A".repeat(MAX_LENGTH) } }] },
  check(ctx, report) {
    const alert = ctx.alert;
    if (!alert) return;
    if (!/^[A-Z][a-zA-Z0-9]*$/.test(alert)) report(`alert name ${alert} must be CamelCase ([A-Z][a-zA-Z0-9]*)`);
    if (alert.length > MAX_LENGTH) report(`alert name is ${alert.length} characters (at most ${MAX_LENGTH})`);
  },
};
