// What the alert kit renders; what it refuses is in types.test-d.ts (vitest typecheck mode).

import { describe, expect, it } from "vitest";
import { metrics as m } from "../../catalogue/metrics";
import { thresholds as t } from "../../catalogue/thresholds";
import { eventSystem } from "../../dashboards/event-system";
import { alert, breaches, recording, renderDescription, value } from "../../src/kit/alert";
import { current, sum } from "../../src/kit/promql";

const lagByGroup = sum(current(m.kafka_consumergroup_lag), { by: ["consumergroup"] });

describe("alert kit", () => {
  it("templates the description with the labels it names", () => {
    const ok = alert({
      name: "TypedLag",
      expr: breaches(lagByGroup, t.consumerLagMessages),
      for: "5m",
      severity: "warning",
      summary: "Lag.",
      description: (l) => `${l.consumergroup} is ${value.humanize} behind.`,
      panel: eventSystem.ref.consumerLag,
    });
    expect(renderDescription(ok)).toEqual({ text: "{{ $labels.consumergroup }} is {{ $value | humanize }} behind.", labels: ["consumergroup"] });
  });

  it("reads a recorded series by its record name", () => {
    const recorded = recording("consumergroup:kafka_consumergroup_lag:sum", lagByGroup);
    expect(recorded.series.render({ rateWindow: "5m", rangeWindow: "1h" })).toBe("consumergroup:kafka_consumergroup_lag:sum");
    expect(recorded.expr.render({ rateWindow: "5m", rangeWindow: "1h" })).toBe("sum by (consumergroup) (kafka_consumergroup_lag)");
  });
});
