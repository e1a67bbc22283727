// What a compiled Grafana dashboard is, as the compiler, the build's validation and the push see it.

/** Grafana's rule for dashboard, folder and alert rule uids. */
export const UID_PATTERN = /^[a-zA-Z0-9_-]{1,40}$/;

/** Every panel queries through this Prometheus data source variable. */
export const DATASOURCE_VARIABLE = "datasource";

/** Grafana's dashboard grid is 24 columns wide. */
export const GRID_COLUMNS = 24;

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export type DashboardJson = Record<string, unknown> & { uid: string; title: string; panels: PanelJson[] };
export type PanelJson = Record<string, unknown> & { id: number; title: string; gridPos: GridPos };
