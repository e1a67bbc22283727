// panel-id-unique: every panel has its own id.

import { correctness, type DashboardRule } from "../../rule";

export const panelIdUnique: DashboardRule = {
  id: "panel-id-unique",
  scope: "dashboard",
  ...correctness("error"),
  summary: "Every panel (rows and panels in collapsed rows included) has an id, unique in the dashboard.",
  rationale: "Links (`viewPanel=`), alert annotations and library panels address panels by id; a duplicate points at the wrong one.",
  cases: { bad: [{ more: [{ id: 1, type: "row", title: "Row", gridPos: { x: 0, y: 8, w: 24, h: 1 } }] }, { panel: { id: undefined } }], good: [{ more: [{ id: 2, type: "row", title: "Row", gridPos: { x: 0, y: 8, w: 24, h: 1 } }] }] },
  check(ctx, report) {
    const seen = new Map<string, string>();
    for (const info of ctx.panels) {
      if (info.id === undefined) report("panel has no id", { panel: info });
      else if (seen.has(info.id)) report(`panel id ${info.id} is also used by ${seen.get(info.id)}`, { panel: info });
      else seen.set(info.id, info.name);
    }
  },
};
