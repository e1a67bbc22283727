// Grafana version targeting: the build refuses outputs the configured oldest Grafana would not load.
// Every "since" below is a first version, each with where it was measured.

import type { Finding } from "../model/finding";
import type { BuildConfig } from "../model/config";
import type { DashboardJson } from "../model/dashboard";

type Version = readonly [number, number, number];

/**
 * The first Grafana whose dashboard model has this schemaVersion: @grafana/schema (released in
 * lockstep with Grafana) 12.1.0 sets defaultDashboard.schemaVersion 41, 12.2.0 sets 42.
 */
export const SCHEMA_VERSION_SINCE: Readonly<Record<number, string>> = { 41: "12.1.0", 42: "12.2.0" };

/**
 * The first Grafana serving each dashboard/folder resource API version (grafana-resources.md:
 * 12.x docs use v1beta1, 13.x docs v1).
 */
export const RESOURCE_API_SINCE: Readonly<Record<BuildConfig["resourceApiVersion"], string>> = { v1beta1: "12.0.0", v1: "13.0.0" };

/**
 * Panel options the kit emits that older Grafana does not know: the first @grafana/schema
 * version whose panel options type declares the field (checked in the published packages'
 * raw/composable/<panel>/panelcfg types: 10.0.0, 10.1.0, 10.2.0, 10.3.0, 10.4.0, 11.0.0, 11.1.0).
 * Every panel type the kit emits (timeseries, stat, table, piechart, bargauge, nodeGraph) is older
 * than the oldest schemaVersion the build can emit, so no panel type needs a row.
 */
export const PANEL_OPTION_SINCE: readonly { readonly panel: string; readonly option: string; readonly since: string }[] = [
  { panel: "bargauge", option: "minVizWidth", since: "10.1.0" },
  { panel: "bargauge", option: "namePlacement", since: "10.2.0" },
  { panel: "bargauge", option: "sizing", since: "10.4.0" },
  { panel: "bargauge", option: "maxVizHeight", since: "10.4.0" },
  { panel: "stat", option: "wideLayout", since: "10.4.0" },
  { panel: "stat", option: "showPercentChange", since: "10.4.0" },
  { panel: "stat", option: "percentChangeColorMode", since: "11.1.0" },
];

export function parseVersion(text: string): Version | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function older(a: Version, b: Version): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** Whether `target` is older than `since` (both "major.minor.patch", `since` from the tables above). */
function before(target: Version, since: string): boolean {
  const version = parseVersion(since);
  if (!version) throw new Error(`bad version in a grafana-version table: ${since}`);
  return older(target, version);
}

/** Every way the outputs would not load in `config.oldestGrafanaVersion`. */
export function grafanaVersionProblems(dashboards: readonly DashboardJson[], config: BuildConfig): Finding[] {
  const where = ["build.config.ts", "oldestGrafanaVersion"];
  const target = parseVersion(config.oldestGrafanaVersion);
  if (!target) return [{ location: where, message: `"${config.oldestGrafanaVersion}" is not a version like 12.2.0` }];

  const problems: Finding[] = [];
  if (config.outputs.resources && before(target, RESOURCE_API_SINCE[config.resourceApiVersion])) {
    problems.push({
      location: where,
      message: `resource API ${config.resourceApiVersion} (out/resources) needs Grafana ${RESOURCE_API_SINCE[config.resourceApiVersion]}; oldestGrafanaVersion is ${config.oldestGrafanaVersion}`,
    });
  }
  for (const dashboard of dashboards) {
    const schemaVersion = dashboard.schemaVersion;
    const since = typeof schemaVersion === "number" ? SCHEMA_VERSION_SINCE[schemaVersion] : undefined;
    if (since === undefined) problems.push({ location: [dashboard.uid], message: `schemaVersion ${String(schemaVersion)} has no known first Grafana version` });
    else if (before(target, since)) {
      problems.push({ location: [dashboard.uid], message: `schemaVersion ${String(schemaVersion)} needs Grafana ${since}; oldestGrafanaVersion is ${config.oldestGrafanaVersion}` });
    }
    for (const panel of dashboard.panels) {
      const options = panel.options;
      if (typeof options !== "object" || options === null) continue;
      for (const row of PANEL_OPTION_SINCE) {
        if (panel.type === row.panel && row.option in options && before(target, row.since)) {
          problems.push({
            location: [dashboard.uid, panel.title],
            message: `${row.panel} option ${row.option} needs Grafana ${row.since}; oldestGrafanaVersion is ${config.oldestGrafanaVersion}`,
          });
        }
      }
    }
  }
  return problems;
}
