// panel-title-description: every query panel says what it shows.

import { NON_QUERY_PANELS, str } from "../../dashboard-model";
import { style, type DashboardRule } from "../../rule";

export const panelTitleDescription: DashboardRule = {
  id: "panel-title-description",
  scope: "dashboard",
  ...style("error"),
  summary: "Every query panel has a title and a description.",
  rationale: "The person on call reads the description to know what the panel shows and what to do. Anchor: dashboard-linter panel-title-description-rule.",
  cases: { bad: [{ panel: { description: "" } }, { panel: { title: undefined } }], good: [{}] },
  check(ctx, report) {
    for (const info of ctx.panels) {
      if (NON_QUERY_PANELS.has(info.type)) continue;
      if (!info.title?.trim()) report("panel has no title", { panel: info });
      if (!str(info.panel.description)?.trim()) report("panel has no description: say what it shows and what to do about it", { panel: info });
    }
  },
};
