// Type-level guarantees of the alert kit, checked by `npm run typecheck` (TypeScript 7, test files included):
// each `@ts-expect-error` fails the typecheck if the line below it stops being an error.

import { describe, expect, it } from "vitest";
import { metrics as m } from "../../catalogue/metrics";
import { thresholds as t } from "../../catalogue/thresholds";
import { alert, breaches, recording, renderDescription, value } from "../../src/kit/alert";
import { absent, gauge, rate, sum } from "../../src/kit/promql";

const panel = { dashboardUid: "events", panelId: 2 };
const lagByGroup = sum(gauge(m.kafka_consumergroup_lag), { by: ["consumergroup"] });

describe("alert kit types", () => {
  it("lets the description name only the labels the expression keeps", () => {
    const ok = alert({
      name: "TypedLag",
      expr: breaches(lagByGroup, t.consumerLagMessages),
      for: "5m",
      severity: "warning",
      summary: "Lag.",
      description: (l) => `${l.consumergroup} is ${value.humanize} behind.`,
      panel,
    });
    expect(renderDescription(ok)).toEqual({ text: "{{ $labels.consumergroup }} is {{ $value | humanize }} behind.", labels: ["consumergroup"] });

    alert({
      name: "DroppedLabel",
      expr: breaches(lagByGroup, t.consumerLagMessages),
      for: "5m",
      severity: "warning",
      summary: "Lag.",
      // @ts-expect-error `topic` was aggregated away by `sum by (consumergroup)`.
      description: (l) => `${l.consumergroup} on ${l.topic}.`,
      panel,
    });

    alert({
      name: "AbsentHasNoLabels",
      expr: absent(m.kafka_brokers),
      for: "5m",
      severity: "warning",
      summary: "Absent.",
      // @ts-expect-error absent() keeps no labels.
      description: (l) => `${l.instance} is gone.`,
      panel,
    });
  });

  it("refuses gauges in rate() and unknown severities", () => {
    // @ts-expect-error a gauge has no rate: kafka_consumergroup_lag goes up and down.
    const wrong = rate(m.kafka_consumergroup_lag);
    expect(wrong.render({ rateWindow: "5m", rangeWindow: "1h" })).toBe("rate(kafka_consumergroup_lag[5m])");

    alert({
      name: "PagingSeverity",
      expr: breaches(lagByGroup, t.consumerLagMessages),
      for: "5m",
      // @ts-expect-error severity is critical | warning | info.
      severity: "page",
      summary: "Lag.",
      description: (l) => l.consumergroup,
      panel,
    });
  });

  it("gives a recorded series the labels of its expression", () => {
    const recorded = recording("consumergroup:kafka_consumergroup_lag:sum", lagByGroup);
    alert({
      name: "RecordedLag",
      expr: breaches(recorded.series, t.consumerLagMessages),
      for: "5m",
      severity: "warning",
      summary: "Lag.",
      // @ts-expect-error the recorded series keeps consumergroup only, like its expression.
      description: (l) => `${l.consumergroup} on ${l.topic}.`,
      panel,
    });
    expect(recorded.series.render({ rateWindow: "5m", rangeWindow: "1h" })).toBe("consumergroup:kafka_consumergroup_lag:sum");
    expect(recorded.expr.render({ rateWindow: "5m", rangeWindow: "1h" })).toBe("sum by (consumergroup) (kafka_consumergroup_lag)");
  });
});
