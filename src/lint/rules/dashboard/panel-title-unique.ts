// panel-title-unique: panels of one dashboard have different, short titles.

import { NON_QUERY_PANELS } from "../../dashboard-model";
import { style, type DashboardRule } from "../../rule";

/** A longer title is cut off in the header of a third-width panel. */
export const MAX_PANEL_TITLE = 80;

export const panelTitleUnique: DashboardRule = {
  id: "panel-title-unique",
  scope: "dashboard",
  ...style("error"),
  summary: `Query panels of one dashboard have different titles, each at most ${MAX_PANEL_TITLE} characters.`,
  rationale: "Readers, alert links and Grafana's search tell panels apart by title; a long one is cut off in the panel header.",
  cases: {
    bad: [{ more: [{ id: 2, type: "stat", title: "Requests", gridPos: { x: 12, y: 0, w: 12, h: 8 } }] }, { panel: { title: "R".repeat(MAX_PANEL_TITLE + 1) } }],
    good: [{ more: [{ id: 2, type: "stat", title: "Errors", gridPos: { x: 12, y: 0, w: 12, h: 8 } }] }],
  },
  check(ctx, report) {
    const seen = new Map<string, string>();
    for (const info of ctx.panels) {
      if (NON_QUERY_PANELS.has(info.type) || !info.title) continue;
      if (info.title.length > MAX_PANEL_TITLE) report(`panel title has ${info.title.length} characters, at most ${MAX_PANEL_TITLE} allowed`, { panel: info });
      const earlier = seen.get(info.title);
      if (earlier !== undefined) report(`panel title is already used by panel ${earlier} in this dashboard`, { panel: info });
      else seen.set(info.title, info.id ?? info.name);
    }
  },
};
