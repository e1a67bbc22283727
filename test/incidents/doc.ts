// docs/incidents.md: each incident scenario, the alerts that catch it, the time to detect measured
// by promtool, and the panel the alert opens. Generated (npm run docs), checked fresh by a test.

import { dashboards } from "../../dashboards/index";
import type { AnyAlert } from "../../src/kit/alert";
import { timeToDetect, type Timeline } from "./run";
import type { Scenario } from "./scenarios";

/** "Dashboard › Panel" for the panel an alert's dashboard_url opens. */
export function panelOf(alert: AnyAlert): string {
  const board = dashboards.find((d) => d.uid === alert.panel.dashboardUid);
  const panel = board?.panels[alert.panel.panelId - 1];
  if (!board || !panel) throw new Error(`alert ${alert.name} links to a panel that does not exist (${JSON.stringify(alert.panel)})`);
  return `${board.title} › ${panel.title}`;
}

const minutes = (seconds: number) => `${Number((seconds / 60).toFixed(1))} min`;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function incidentsDoc(scenarios: readonly Scenario[], timelines: ReadonlyMap<string, Timeline>): string {
  const rows = scenarios.map((s) => {
    const timeline = timelines.get(s.id);
    if (!timeline) throw new Error(`no timeline for scenario ${s.id}`);
    const fires = s.fires.length
      ? s.fires.map((d) => {
          const ttd = timeToDetect(timeline, d.alert.name, d.labels);
          const inhibited = d.inhibitedBy ? ` (inhibited by ${d.inhibitedBy.name} in Alertmanager)` : "";
          return `**${d.alert.name}** (${d.alert.severity}): ${ttd === undefined ? "not detected" : minutes(ttd)} (target ≤ ${d.withinMinutes} min)${inhibited}<br>panel: ${panelOf(d.alert)}`;
        })
      : ["nothing fires"];
    const also = (s.consequences ?? []).map((c) => `${c.alert.name}: ${c.why}${c.inhibitedBy ? ` (inhibited by ${c.inhibitedBy.name})` : ""}`);
    return `| ${cell(s.title)} | ${cell(s.incident)} | ${fires.join("<br>")} | ${also.length ? cell(also.join("; ")) : "-"} |`;
  });
  return [
    "# Incidents and the alerts that catch them",
    "",
    "Generated from `test/incidents/scenarios.ts` by `npm run docs`; a test fails when this file is stale.",
    "Each incident is a scenario of realistic series (healthy traffic, then the incident from its onset)",
    "run through `promtool test rules` on the compiled rules. Time to detect is measured: from the onset",
    "to the first rule evaluation (every 30 s, scrapes every 30 s) where the alert fires. Every alert not",
    "listed for an incident stayed silent through it. \"Inhibited\" is checked on a real Alertmanager loaded",
    "with the build's `inhibit_rules` (out/alertmanager/inhibit-rules.yaml), fed each incident's firing alerts.",
    "",
    "| incident | what happens | alert(s) that must fire: measured time to detect, and the panel they open | may also fire (why) |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
