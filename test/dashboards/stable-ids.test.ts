// Panel ids do not depend on panel order: reordering a dashboard's panels changes no panel id and
// leaves every alert's dashboard_url on the same panel, whether the ids were given or derived.

import { rulesForDeployment } from "../../src/kit/alert";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { platformInput } from "../../scripts/platform";
import { compileDashboard } from "../../src/compile/dashboard";
import { dashboard, derivedPanelId, type DashboardDef, type PlacedPanel } from "../../src/kit/dashboard";
import type { PanelDef } from "../../src/kit/panel";
import type { DashboardJson } from "../../src/model/dashboard";
import { generateOutputs } from "../../src/pipeline/generate";

/** The same dashboard, its panels in another order (and, with `dropIds`, without explicit ids). */
function rebuilt(def: DashboardDef, order: (panels: PlacedPanel[]) => PlacedPanel[], dropIds = false): DashboardDef {
  const panels = order([...def.panels]).map(({ key, id, ...panel }): [string, PanelDef] => [key, (dropIds ? panel : { ...panel, id }) as PanelDef]);
  return dashboard({ ...def, panels: Object.fromEntries(panels) });
}

const reversed = (panels: PlacedPanel[]) => panels.reverse();
/** Moves the first panel to the end: every panel changes position. */
const rotated = (panels: PlacedPanel[]) => [...panels.slice(1), panels[0]!];

const idsByTitle = (json: DashboardJson) => new Map(json.panels.map((p) => [p.title, p.id]));

/** Alert name → the title of the panel its dashboard_url opens, in the given build. */
function linkedPanelTitles(dashboards: readonly DashboardDef[]): Map<string, string> {
  const { files } = generateOutputs({ ...platformInput, dashboards });
  const panels = new Map<string, string>();
  for (const file of files.filter((f) => f.path.startsWith("dashboards/"))) {
    const json = JSON.parse(file.content) as DashboardJson;
    for (const panel of json.panels) panels.set(`${json.uid}?viewPanel=${panel.id}`, panel.title);
  }
  const links = new Map<string, string>();
  for (const file of files.filter((f) => f.path.startsWith("prometheus/"))) {
    const { groups } = parse(file.content) as { groups: { rules: { alert?: string; annotations?: { dashboard_url?: string } }[] }[] };
    for (const rule of groups.flatMap((g) => g.rules)) {
      if (!rule.alert) continue;
      const target = /\/d\/(.+)$/.exec(rule.annotations?.dashboard_url ?? "")?.[1];
      links.set(rule.alert, panels.get(target ?? "") ?? `(no panel at ${rule.annotations?.dashboard_url})`);
    }
  }
  return links;
}

describe.each(platformInput.dashboards.map((d) => [d.uid, d] as const))("%s", (_uid, def) => {
  it.each([
    ["reversed", reversed],
    ["rotated", rotated],
  ] as const)("%s, keeps every panel id", (_name, order) => {
    const moved = compileDashboard(rebuilt(def, order));
    expect(moved.panels.map((p) => p.title)).not.toEqual(compileDashboard(def).panels.map((p) => p.title));
    expect(idsByTitle(moved)).toEqual(idsByTitle(compileDashboard(def)));
  });

  it("without explicit ids, derives each from its key, whatever the order", () => {
    const derived = compileDashboard(rebuilt(def, (p) => p, true));
    const movedDerived = compileDashboard(rebuilt(def, reversed, true));
    expect(idsByTitle(movedDerived)).toEqual(idsByTitle(derived));
    expect(derived.panels.map((p) => p.id)).toEqual(def.panels.map((p) => derivedPanelId(p.key)));
  });
});

describe("alert links", () => {
  it("open the same panel after every dashboard's panels are reordered", () => {
    const before = linkedPanelTitles(platformInput.dashboards);
    // Every alert the build compiles (guards of sources not deployed are left out).
    const compiled = rulesForDeployment(platformInput.ruleGroups, platformInput.config.deployedSources);
    expect(before.size).toBe(compiled.reduce((n, g) => n + g.alerts.length, 0));
    expect([...before.values()].filter((title) => title.startsWith("(no panel"))).toEqual([]);
    expect(linkedPanelTitles(platformInput.dashboards.map((d) => rebuilt(d, reversed)))).toEqual(before);
  });
});
