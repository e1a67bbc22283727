// panel-overlap: every panel has an explicit place, and no two panels of one layout overlap.

import type { PanelInfo } from "../../dashboard-model";
import { style, type DashboardRule } from "../../rule";

const GRID_COLUMNS = 24;

/**
 * The panels of one layout placed so far, for "does an earlier panel overlap this one?" in
 * O(columns × log n) instead of comparing with every earlier panel (40k panels took 13 s, 132k 97 s).
 * Per grid column a Fenwick tree over the layout's distinct y values keeps, for the panels whose
 * top is at or above a y, the lowest bottom edge reached and which panel reaches it: a panel
 * [y, y+h) overlaps an earlier one in a shared column exactly when some earlier panel starting
 * above y+h ends below y.
 */
class Layout {
  private readonly tops: number[];
  private readonly columns = new Map<number, { bottom: Float64Array; who: Int32Array }>();
  private readonly placed: PanelInfo[] = [];

  constructor(panels: readonly PanelInfo[]) {
    this.tops = [...new Set(panels.map((p) => p.box!.y))].sort((a, b) => a - b);
  }

  /** Grid columns a box covers; boxes outside the grid are panel-gridpos's finding, clamped here. */
  private span(info: PanelInfo): number[] {
    const { x, w } = info.box!;
    const from = Math.max(0, Math.floor(x));
    const to = Math.min(GRID_COLUMNS, Math.ceil(x + w));
    return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  }

  /** Number of distinct tops strictly above `y` (binary search). */
  private rank(y: number): number {
    let lo = 0;
    let hi = this.tops.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tops[mid]! < y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** An earlier panel this one overlaps, if any. */
  clash(info: PanelInfo): PanelInfo | undefined {
    const { y, h } = info.box!;
    for (const c of this.span(info)) {
      const column = this.columns.get(c);
      if (!column) continue;
      let best = -Infinity;
      let who = -1;
      for (let i = this.rank(y + h); i > 0; i -= i & -i)
        if (column.bottom[i]! > best) [best, who] = [column.bottom[i]!, column.who[i]!];
      if (best > y) return this.placed[who];
    }
    return undefined;
  }

  add(info: PanelInfo): void {
    const { y, h } = info.box!;
    const index = this.placed.push(info) - 1;
    const size = this.tops.length;
    for (const c of this.span(info)) {
      let column = this.columns.get(c);
      if (!column) this.columns.set(c, (column = { bottom: new Float64Array(size + 1).fill(-Infinity), who: new Int32Array(size + 1) }));
      for (let i = this.rank(y) + 1; i <= size; i += i & -i)
        if (y + h > column.bottom[i]!) [column.bottom[i], column.who[i]] = [y + h, index];
    }
  }
}

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
    const byContainer = new Map<string, PanelInfo[]>();
    for (const info of ctx.panels) {
      if (!info.box) {
        if (info.badGrid.length === 0 && (info.type !== "row" || info.container === "top")) report("panel has no gridPos", { panel: info });
        continue;
      }
      const b = info.box;
      if (![b.x, b.y, b.w, b.h].every(Number.isFinite) || b.w <= 0 || b.h <= 0) continue; // panel-gridpos says what is wrong
      const same = byContainer.get(info.container) ?? [];
      same.push(info);
      byContainer.set(info.container, same);
    }
    for (const panels of byContainer.values()) {
      const layout = new Layout(panels);
      for (const info of panels) {
        const clash = layout.clash(info);
        if (clash) report(`overlaps ${clash.name} (${JSON.stringify(info.panel.gridPos)})`, { panel: info });
        layout.add(info);
      }
    }
  },
};
