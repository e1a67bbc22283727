// Dashboard kit: a dashboard definition, its folder and its filter variables.

import type { AnyMetric, LabelOf } from "../model/metric";
import type { PanelDef } from "./panel";

/** A Grafana folder; `parent` makes it nested. The sidecar path is the titles joined by "/". */
export interface FolderDef {
  readonly uid: string;
  readonly title: string;
  readonly parent?: FolderDef;
}

/** A multi-value filter over the values one label of one metric takes. */
export interface VariableDef {
  readonly name: string;
  readonly label: string;
  readonly query: string;
}

/**
 * `label_values(<metric>, <label>)` as a multi-select with "All"; the label must belong to
 * the metric. Queries use it as `matches("$<name>")`.
 */
export function labelVariable<M extends AnyMetric>(name: string, displayName: string, metric: M, label: LabelOf<M>): VariableDef {
  const series = metric.type === "histogram" ? `${metric.name}_count` : metric.name;
  return { name, label: displayName, query: `label_values(${series}, ${label})` };
}

export interface DashboardDef {
  /** At most 40 characters of `[a-zA-Z0-9-_]`. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly folder: FolderDef;
  /** Filters besides the `$datasource` variable every dashboard gets. */
  readonly variables: readonly VariableDef[];
  /** In display order; ids are assigned 1..n in this order. */
  readonly panels: readonly PanelDef[];
  /** Default time range, e.g. "now-6h". */
  readonly from?: string;
  readonly refresh?: string;
}

export function dashboard(def: DashboardDef): DashboardDef {
  return def;
}

/** The folder path the Grafana sidecar creates, e.g. "254Carbon/Service Mesh". */
export function folderPath(folder: FolderDef): string {
  return folder.parent ? `${folderPath(folder.parent)}/${folder.title}` : folder.title;
}

/** The folder and its ancestors, outermost first. */
export function folderChain(folder: FolderDef): FolderDef[] {
  return folder.parent ? [...folderChain(folder.parent), folder] : [folder];
}
