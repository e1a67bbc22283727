// Type-level guarantees of the alert kit, run by vitest's typecheck mode: each `@ts-expect-error`
// fails its own test if the line below it stops being an error.

import { describe, expectTypeOf, it } from "vitest";
import { metrics as m } from "../../catalogue/metrics";
import { thresholds as t } from "../../catalogue/thresholds";
import { eventSystem } from "../../dashboards/event-system";
import { alert, breaches, recording, value } from "../../src/kit/alert";
import { absent, current, sum, type Vector } from "../../src/kit/promql";
import type { ClusterLabel } from "../../src/model/metric";

const panel = eventSystem.ref.consumerLag;
const lagByGroup = sum(current(m.kafka_consumergroup_lag), { by: ["consumergroup"] });
const base = { for: "5m", severity: "warning", summary: "Lag.", panel } as const;

describe("alert kit types", () => {
  it("lets the description name only the labels the expression keeps", () => {
    alert({ ...base, name: "TypedLag", expr: breaches(lagByGroup, t.consumerLagMessages), description: (l) => `${l.consumergroup} is ${value.humanize} behind.` });
    alert({
      ...base,
      name: "DroppedLabel",
      expr: breaches(lagByGroup, t.consumerLagMessages),
      // @ts-expect-error `topic` was aggregated away by `sum by (consumergroup)`.
      description: (l) => `${l.consumergroup} on ${l.topic}.`,
    });
  });

  it("gives absent() no labels to template (but the cluster's, in cluster mode)", () => {
    expectTypeOf(absent(m.kafka_brokers)).toEqualTypeOf<Vector<ClusterLabel>>();
    // @ts-expect-error absent() keeps no labels.
    alert({ ...base, name: "AbsentHasNoLabels", expr: absent(m.kafka_brokers), description: (l) => `${l.instance} is gone.` });
  });

  it("refuses unknown severities", () => {
    // @ts-expect-error severity is critical | warning | info.
    alert({ ...base, severity: "page", name: "PagingSeverity", expr: breaches(lagByGroup, t.consumerLagMessages), description: (l) => l.consumergroup });
  });

  it("gives a recorded series the labels of its expression", () => {
    const recorded = recording("consumergroup:kafka_consumergroup_lag:sum", lagByGroup);
    expectTypeOf(recorded.series).toEqualTypeOf<Vector<"consumergroup" | ClusterLabel>>();
    alert({
      ...base,
      name: "RecordedLag",
      expr: breaches(recorded.series, t.consumerLagMessages),
      // @ts-expect-error the recorded series keeps consumergroup only, like its expression.
      description: (l) => `${l.consumergroup} on ${l.topic}.`,
    });
  });
});
