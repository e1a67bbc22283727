// record-name: recording rules name a valid metric and carry no alert fields.

import { correctness, type RuleRule } from "../../rule";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const recording = { alert: undefined, for: undefined, labels: undefined, annotations: undefined, record: "service:kong_http_requests:rate5m", expr: "sum by (service) (rate(kong_http_requests_total[5m]))" };

export const recordName: RuleRule = {
  id: "record-name",
  scope: "rule",
  ...correctness("error"),
  summary: "Recording rule names are valid metric names; recording rules have no `for`, `keep_firing_for` or annotations.",
  rationale: "promtool check rules refuses the file otherwise. Anchor: Prometheus model/rulefmt.",
  cases: { bad: [{ rule: { ...recording, record: "service-requests" } }, { rule: { ...recording, for: "5m" } }], good: [{ rule: recording }] },
  check(ctx, report) {
    if (ctx.record === undefined) return;
    if (ctx.record && !METRIC_NAME.test(ctx.record)) report(`${JSON.stringify(ctx.record)} is not a valid metric name`);
    for (const k of ["for", "keep_firing_for", "annotations"]) if (ctx.rule[k] !== undefined) report(`recording rules take no ${k}`);
  },
};
