// panel-overlap: every panel has an explicit place, and no two panels of one layout overlap.

import type { Box, PanelInfo } from "../../dashboard-model";
import { style, type DashboardRule } from "../../rule";

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export const panelOverlap: DashboardRule = {
  id: "panel-overlap",
  scope: "dashboard",
  ...style("error"),
  summary:
    "Every panel has a gridPos (rows inside collapsed rows excepted) and none overlaps another panel of the same layout: the top level, or the panels kept inside one collapsed row (stored at their expanded positions).",
  rationale:
    "Grafana pushes overlapping panels down when it loads the dashboard, so the layout on screen is not the one written. That is harmless on others' dashboards (generated ones rely on it), so this is a house rule.",
  cases: {
    bad: [{ more: [{ id: 2, type: "text", title: "Notes", gridPos: { x: 6, y: 4, w: 12, h: 8 } }] }, { panel: { gridPos: undefined } }],
    good: [
      { more: [{ id: 2, type: "text", title: "Notes", gridPos: { x: 12, y: 0, w: 12, h: 8 } }] },
      // A collapsed row keeps its panels at their expanded positions, under the row header.
      {
        more: [
          { id: 2, type: "row", title: "Details", collapsed: true, gridPos: { x: 0, y: 8, w: 24, h: 1 }, panels: [{ id: 3, type: "text", title: "Notes", gridPos: { x: 0, y: 9, w: 24, h: 8 } }] },
          { id: 4, type: "text", title: "After", gridPos: { x: 0, y: 9, w: 24, h: 8 } },
        ],
      },
    ],
  },
  check(ctx, report) {
    const placed = new Map<string, PanelInfo[]>();
    for (const info of ctx.panels) {
      const b = info.box;
      if (!b) {
        if (info.badGrid.length === 0 && (info.type !== "row" || info.container === "top")) report("panel has no gridPos", { panel: info });
        continue;
      }
      const same = placed.get(info.container) ?? [];
      const clash = same.find((o) => o.box && overlaps(o.box, b));
      if (clash) report(`overlaps ${clash.name} (${JSON.stringify(info.panel.gridPos)})`, { panel: info });
      same.push(info);
      placed.set(info.container, same);
    }
  },
};
