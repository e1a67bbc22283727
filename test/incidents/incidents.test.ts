// Incident scenarios under promtool: each must be detected by the alerts it names within its
// time-to-detect target, nothing else may fire, a healthy hour fires nothing (also as deployed,
// where absent sources get no guard), and every alert catches at least one incident.

import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { deployment } from "../../build.config";
import { ruleGroups } from "../../alerts/index";
import { allMetrics, type SourceId } from "../../catalogue/metrics";
import { dashboardUrlFor } from "../../src/kit/alert";
import { seriesNames } from "../../src/model/metric";
import { incidentsDoc } from "./doc";
import { healthy, platformSeriesOf } from "./platform";
import { firedAlerts, runScenarios, timeToDetect, type Timeline } from "./run";
import { deployedBaseline, healthyBaseline, scenarios, type Scenario } from "./scenarios";

const absentSources = (Object.entries(deployment.sources) as [SourceId, boolean][]).filter(([, on]) => !on).map(([id]) => id);
const asDeployed = deployedBaseline(absentSources);
const all: Scenario[] = [...scenarios, healthyBaseline, asDeployed];
let timelines: Map<string, Timeline>;

beforeAll(async () => {
  timelines = await runScenarios(all);
}, 600_000);

const timeline = (s: Scenario) => {
  const t = timelines.get(s.id);
  if (!t) throw new Error(`scenario ${s.id} did not run`);
  return t;
};

describe.each(scenarios.map((s) => [s.id, s] as const))("incident %s", (_id, s) => {
  it("fires nothing during the healthy traffic before the onset", () => {
    const early = [...firedAlerts(timeline(s))].filter(([, f]) => f.firstAt < s.onsetMinutes * 60).map(([name]) => name);
    expect(early).toEqual([]);
  });

  it.each(s.fires.map((d) => [d.alert.name, d] as const))("detects it with %s within its target", (name, d) => {
    const ttd = timeToDetect(timeline(s), name, d.labels);
    expect(ttd, `${name} never fired with ${JSON.stringify(d.labels ?? {})}`).toBeDefined();
    expect(ttd! / 60).toBeLessThanOrEqual(d.withinMinutes);
    if (d.description) {
      const first = [...timeline(s).firing].sort(([a], [b]) => a - b).flatMap(([, alerts]) => alerts).find((a) => a.alertname === name);
      expect(first?.annotations.description).toMatch(d.description);
    }
  });

  it("keeps every other alert silent", () => {
    const allowed = new Set([...s.fires, ...(s.consequences ?? [])].map((x) => x.alert.name));
    expect([...firedAlerts(timeline(s)).keys()].filter((name) => !allowed.has(name))).toEqual([]);
  });
});

describe("every alert that fired", () => {
  const defs = new Map(ruleGroups.flatMap((g) => g.alerts.map((a) => [a.name, { def: a, group: g }] as const)));
  it("carries its definition's severity, group label and annotations, fully rendered", () => {
    const problems: string[] = [];
    for (const t of timelines.values())
      for (const { alert } of firedAlerts(t).values()) {
        const entry = defs.get(alert.alertname);
        const where = `${t.scenario.id} › ${alert.alertname}`;
        if (!entry) {
          problems.push(`${where}: not defined`);
          continue;
        }
        const { def, group } = entry;
        if (alert.labels.severity !== def.severity) problems.push(`${where}: severity ${alert.labels.severity}`);
        for (const [k, v] of Object.entries(group.labels ?? {})) if (alert.labels[k] !== v) problems.push(`${where}: label ${k}=${alert.labels[k]}`);
        if (alert.annotations.summary !== def.summary) problems.push(`${where}: summary ${alert.annotations.summary}`);
        if (alert.annotations.runbook_url !== def.runbookUrl) problems.push(`${where}: runbook_url ${alert.annotations.runbook_url}`);
        if (alert.annotations.dashboard_url !== dashboardUrlFor(def.panel)) problems.push(`${where}: dashboard_url ${alert.annotations.dashboard_url}`);
        const description = alert.annotations.description ?? "";
        if (!description || /\{\{|<no value>|NaN|\+Inf/.test(description)) problems.push(`${where}: description "${description}"`);
      }
    expect(problems).toEqual([]);
  });
});

describe("healthy baseline", () => {
  it("one hour of normal traffic on every metric fires nothing", () => {
    expect([...firedAlerts(timeline(healthyBaseline)).keys()]).toEqual([]);
    expect(timeline(healthyBaseline).alertNames.length).toBe(ruleGroups.flatMap((g) => g.alerts).length);
  });

  it("as deployed: sources declared absent send nothing, get no guard, and nothing fires", () => {
    const t = timeline(asDeployed);
    expect([...firedAlerts(t).keys()]).toEqual([]);
    const guardsOfAbsent = ruleGroups.flatMap((g) => g.alerts).filter((a) => a.guards !== undefined && absentSources.includes(a.guards as SourceId));
    expect(guardsOfAbsent.length).toBeGreaterThan(0);
    for (const guard of guardsOfAbsent) expect(t.alertNames).not.toContain(guard.name);
  });

  it("has a series for every series name of the catalogue", () => {
    const present = new Set(platformSeriesOf(healthy(5)).map((s) => s.name));
    expect(allMetrics.flatMap(seriesNames).filter((name) => !present.has(name))).toEqual([]);
  });
});

describe("coverage", () => {
  it("every alert must catch at least one incident", () => {
    const detected = new Set(scenarios.flatMap((s) => s.fires.map((d) => d.alert.name)));
    expect(ruleGroups.flatMap((g) => g.alerts.map((a) => a.name)).filter((name) => !detected.has(name))).toEqual([]);
  });

  it("docs/incidents.md is generated from the scenarios (run `npm run docs` when this fails)", () => {
    expect(readFileSync(new URL("../../docs/incidents.md", import.meta.url), "utf8")).toBe(incidentsDoc(scenarios, timelines));
  });
});
