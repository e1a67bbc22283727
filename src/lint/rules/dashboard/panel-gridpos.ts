// panel-gridpos: positions Grafana can lay out.

import { correctness, type DashboardRule } from "../../rule";

const GRID_COLUMNS = 24;
/** Bounds beyond which a height or a row is a typo, not a layout. */
const MAX_HEIGHT = 100;
const MAX_Y = 10_000;

export const panelGridpos: DashboardRule = {
  id: "panel-gridpos",
  scope: "dashboard",
  ...correctness("error"),
  summary:
    `gridPos fields are whole numbers; missing ones take Grafana's defaults (@grafana/schema \`defaultGridPos\`: x 0, y 0, w 12, h 9); x, y ≥ 0, w, h > 0, x + w inside the 24 columns, h ≤ ${MAX_HEIGHT} and y ≤ ${MAX_Y}.`,
  rationale: "Grafana clamps or drops what does not fit, so the panel is not where, or how big, its author meant.",
  cases: {
    bad: [
      { panel: { gridPos: { x: 0, y: 0, w: 30, h: 8 } } },
      { panel: { gridPos: { x: 20, y: 0, w: 12, h: 8 } } },
      { panel: { gridPos: { x: "0", y: 0, w: 12, h: 8 } } },
      { panel: { gridPos: { x: 0.5, y: 0, w: 12, h: 8 } } },
      { panel: { gridPos: { x: 0, y: 0, w: 12, h: 500 } } },
      { panel: { gridPos: { x: 0, y: 50_000, w: 12, h: 8 } } },
    ],
    // istio manifests/addons/dashboards/istio-mesh-dashboard.gen.json: "HTTP/gRPC Workloads" has no x.
    good: [{ panel: { gridPos: { h: 16, w: 24, y: 10 } } }],
  },
  check(ctx, report) {
    for (const info of ctx.panels) {
      if (info.badGrid.length) {
        report(`gridPos ${info.badGrid.join(", ")} must be numbers, got ${JSON.stringify(info.panel.gridPos)}`, { panel: info });
        continue;
      }
      const b = info.box;
      if (!b) continue;
      const shown = JSON.stringify(info.panel.gridPos);
      if (![b.x, b.y, b.w, b.h].every(Number.isInteger)) report(`gridPos ${shown} must be whole numbers`, { panel: info });
      else if (b.x < 0 || b.y < 0 || b.w <= 0 || b.h <= 0) report(`gridPos ${shown} needs non-negative x, y and positive w, h`, { panel: info });
      else if (b.x + b.w > GRID_COLUMNS) report(`gridPos x ${b.x} + w ${b.w} goes past the ${GRID_COLUMNS} columns`, { panel: info });
      else if (b.h > MAX_HEIGHT || b.y > MAX_Y) report(`gridPos ${shown} is out of bounds (h at most ${MAX_HEIGHT}, y at most ${MAX_Y})`, { panel: info });
    }
  },
};
