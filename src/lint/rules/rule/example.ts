// The clean rule group every group and rule case starts from (rule.ts RuleCase): it lints
// without findings in every profile.

import type { RuleCase } from "../../rule";
import type { Json } from "../../types";

export const exampleAlert: Json = {
  alert: "KongHighErrorRate",
  expr: 'sum by (service) (rate(kong_http_requests_total{code=~"5.."}[5m])) / sum by (service) (rate(kong_http_requests_total[5m])) > 0.05',
  for: "5m",
  labels: { severity: "critical" },
  annotations: { summary: "Kong returns many 5xx.", description: "{{ $labels.service }} returns {{ $value | humanizePercentage }} 5xx." },
};

/** The case as rule-file groups; keys set to undefined are left out. */
export function exampleGroups(c: RuleCase = {}): unknown[] {
  const group = { name: "kong", rules: [{ ...exampleAlert, ...c.rule }], ...c.group };
  return [JSON.parse(JSON.stringify(group)) as unknown];
}
