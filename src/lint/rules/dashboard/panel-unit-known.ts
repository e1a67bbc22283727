// panel-unit-known: every unit a panel sets is one of Grafana's unit ids.

import { grafanaUnits } from "../../../model/grafana-units";
import { list, str } from "../../dashboard-model";
import { isObject } from "../../types";
import { correctness, type DashboardRule } from "../../rule";

const KNOWN: ReadonlySet<string> = new Set(grafanaUnits);

export const panelUnitKnown: DashboardRule = {
  id: "panel-unit-known",
  scope: "dashboard",
  ...correctness("error", "warning"),
  summary:
    "Every unit a panel sets (field defaults, overrides, node graph stat units) is a Grafana unit id (src/model/grafana-units.ts, generated from @grafana/data's getValueFormats()).",
  rationale:
    "Grafana shows an unknown unit as a literal suffix without scaling: `events/sec` prints 12000 events/sec where `eps` prints 12K evt/s, and a typo goes unnoticed.",
  cases: {
    bad: [
      { panel: { fieldConfig: { defaults: { unit: "events/sec" } } } },
      { panel: { fieldConfig: { defaults: { unit: "short" }, overrides: [{ matcher: { id: "byFrameRefID", options: "A" }, properties: [{ id: "unit", value: "msg/s" }] }] } } },
      { panel: { type: "nodeGraph", options: { edges: { mainStatUnit: "req/s" } } } },
    ],
    good: [{ panel: { fieldConfig: { defaults: { unit: "eps" }, overrides: [{ matcher: { id: "byName", options: "Size" }, properties: [{ id: "unit", value: "bytes" }] }] } } }],
  },
  check(ctx, report) {
    for (const info of ctx.panels) {
      const fieldConfig = isObject(info.panel.fieldConfig) ? info.panel.fieldConfig : {};
      const units: { where: string; unit: unknown }[] = [];
      if (isObject(fieldConfig.defaults) && fieldConfig.defaults.unit !== undefined) units.push({ where: "", unit: fieldConfig.defaults.unit });
      for (const override of list(fieldConfig.overrides).filter(isObject)) {
        const matcher = isObject(override.matcher) ? override.matcher : {};
        for (const property of list(override.properties).filter(isObject))
          if (property.id === "unit") units.push({ where: `override ${str(matcher.id) ?? "?"} ${JSON.stringify(matcher.options)}: `, unit: property.value });
      }
      const options = isObject(info.panel.options) ? info.panel.options : {};
      for (const part of ["nodes", "edges"]) {
        const stats = isObject(options[part]) ? options[part] : {};
        for (const stat of ["mainStatUnit", "secondaryStatUnit"])
          if (stats[stat] !== undefined) units.push({ where: `options.${part}.${stat}: `, unit: stats[stat] });
      }
      for (const { where, unit } of units)
        if (unit !== "" && !(typeof unit === "string" && KNOWN.has(unit))) report(`${where}unit ${JSON.stringify(unit)} is not a Grafana unit id`, { panel: info });
    }
  },
};
