// Dashboard kit: a dashboard definition, its folder and its filter variables.

import type { AnyMetric, LabelOf } from "../model/metric";
import type { PanelDef } from "./panel";
import { matches, type LabelMatch } from "./promql";

/** A Grafana folder; `parent` makes it nested. The sidecar path is the titles joined by "/". */
export interface FolderDef {
  readonly uid: string;
  readonly title: string;
  readonly parent?: FolderDef;
}

/** A multi-value filter over the values one label of one metric takes. */
export interface VariableDef<N extends string = string> {
  readonly name: N;
  readonly label: string;
  readonly query: string;
  /** `label=~"$<name>"`: use it in queries (`where: { topic: topic.match }`), never a "$name" string. */
  readonly match: LabelMatch;
}

/**
 * `label_values(<metric>, <label>)` as a multi-select with "All"; the label must belong to the
 * metric. Queries filter with its `match`; the build refuses a `$name` the dashboard does not define.
 */
export function labelVariable<const N extends string, M extends AnyMetric>(name: N, displayName: string, metric: M, label: LabelOf<M>): VariableDef<N> {
  const series = metric.type === "histogram" ? `${metric.name}_count` : metric.name;
  return { name, label: displayName, query: `label_values(${series}, ${label})`, match: matches(`$${name}`) };
}

/** A panel on its dashboard: the key it has in the definition and its Grafana id. */
export type PlacedPanel = PanelDef & { readonly key: string; readonly id: number };

/** Where an alert links to (`/d/<uid>?viewPanel=<id>`): take it from `<dashboard>.ref.<panel key>`. */
export interface PanelRef {
  readonly dashboardUid: string;
  readonly panelId: number;
}

interface DashboardFields {
  /** At most 40 characters of `[a-zA-Z0-9-_]`. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly folder: FolderDef;
  /** Filters besides the `$datasource` variable every dashboard gets. */
  readonly variables: readonly VariableDef[];
  /** Default time range, e.g. "now-6h". */
  readonly from?: string;
  readonly refresh?: string;
}

/** What a dashboard file writes: panels keyed by a name, in display order. */
export interface DashboardInput<K extends string> extends DashboardFields {
  readonly panels: { readonly [P in K]: PanelDef };
}

export interface DashboardDef<K extends string = string> extends DashboardFields {
  /** In display order, each with its stable id. */
  readonly panels: readonly PlacedPanel[];
  /** Link targets for alerts, by panel key. */
  readonly ref: { readonly [P in K]: PanelRef };
}

/**
 * A panel's id when it gives none: derived from its key (FNV-1a, into 1000..999999), so it does
 * not depend on the panel's position. Ids from before keys existed are kept as explicit `id`s.
 */
export function derivedPanelId(key: string): number {
  let hash = 0x811c9dc5;
  for (const char of key) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  return 1000 + (hash % 999_000);
}

/**
 * Places the panels in the order written, each with its explicit or key-derived id: reordering
 * panels changes no id, so no bookmark and no alert link moves. Duplicate ids fail the build.
 */
export function dashboard<const K extends string>(input: DashboardInput<K>): DashboardDef<K> {
  const entries = Object.entries<PanelDef>(input.panels);
  const panels = entries.map(([key, panel]): PlacedPanel => ({ ...panel, key, id: panel.id ?? derivedPanelId(key) }));
  const ref = Object.fromEntries(panels.map((p) => [p.key, { dashboardUid: input.uid, panelId: p.id }])) as { readonly [P in K]: PanelRef };
  return { ...input, panels, ref };
}

/** The folder path the Grafana sidecar creates, e.g. "254Carbon/Service Mesh". */
export function folderPath(folder: FolderDef): string {
  return folder.parent ? `${folderPath(folder.parent)}/${folder.title}` : folder.title;
}

/** The folder and its ancestors, outermost first. */
export function folderChain(folder: FolderDef): FolderDef[] {
  return folder.parent ? [...folderChain(folder.parent), folder] : [folder];
}
