// panel-units: numeric panels say their unit.

import { list, str } from "../../dashboard-model";
import { isObject } from "../../types";
import { style, type DashboardRule } from "../../rule";

/** Panels that show numbers and so need a unit. */
const NUMERIC_PANELS = new Set(["timeseries", "graph", "stat", "gauge", "bargauge", "barchart"]);

export const panelUnits: DashboardRule = {
  id: "panel-units",
  scope: "dashboard",
  ...style("error"),
  summary: "Numeric panels (timeseries, graph, stat, gauge, bargauge, barchart) set a unit.",
  rationale: "\"0.2\" could be seconds, a ratio or requests per second. Anchor: dashboard-linter panel-units-rule.",
  cases: { bad: [{ panel: { fieldConfig: { defaults: {} } } }], good: [{}, { panel: { type: "table", fieldConfig: { defaults: {} } } }] },
  check(ctx, report) {
    for (const info of ctx.panels) {
      if (!NUMERIC_PANELS.has(info.type)) continue;
      const fieldConfig = info.panel.fieldConfig;
      const defaults = isObject(fieldConfig) && isObject(fieldConfig.defaults) ? fieldConfig.defaults : {};
      const legacy = list(info.panel.yaxes).filter(isObject)[0];
      if (!(str(defaults.unit) || (legacy ? str(legacy.format) : undefined))) report(`${info.type} panel has no unit (fieldConfig.defaults.unit)`, { panel: info });
    }
  },
};
