// What `npm run dev` reports after a rebuild, and how it makes preview copies of dashboards.

import { createHash } from "node:crypto";
import type { OutputFile } from "../src/model/output";

/** Output path → content. */
export type Snapshot = ReadonlyMap<string, string>;

interface PanelJson {
  readonly id?: unknown;
  readonly title?: unknown;
}

/** Panels by id (ids follow the panels' keys, so a renamed panel is the same panel), with their titles. */
function panelsOf(text: string | undefined): Map<string, { title: string; json: string }> {
  if (text === undefined) return new Map();
  const panels = (JSON.parse(text) as { panels?: PanelJson[] }).panels ?? [];
  return new Map(panels.map((p) => [String(p.id), { title: `"${String(p.title)}"`, json: JSON.stringify(p) }]));
}

/** Dashboards and panels added, removed or changed; rule files changed; other files counted. */
export function describeChanges(before: Snapshot, after: Snapshot): { lines: string[]; dashboards: OutputFile[] } {
  const lines: string[] = [];
  const dashboards: OutputFile[] = [];
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  let others = 0;
  for (const path of paths) {
    const [was, now] = [before.get(path), after.get(path)];
    if (was === now) continue;
    const dashboard = /^dashboards\/(.+)\.json$/.exec(path)?.[1];
    const rules = /^prometheus\/(.+)\.rules\.ya?ml$/.exec(path)?.[1];
    if (dashboard !== undefined) {
      if (now !== undefined) dashboards.push({ path, content: now });
      if (was === undefined) lines.push(`dashboard ${dashboard} added`);
      else if (now === undefined) lines.push(`dashboard ${dashboard} removed`);
      else lines.push(`dashboard ${dashboard}: ${panelChanges(panelsOf(was), panelsOf(now))}`);
    } else if (rules !== undefined) lines.push(`rules ${rules} ${was === undefined ? "added" : now === undefined ? "removed" : "changed"}`);
    else others++;
  }
  if (others && lines.length === 0) lines.push(`${others} other generated file(s) changed`);
  return { lines, dashboards };
}

type Panels = ReturnType<typeof panelsOf>;

function panelChanges(was: Panels, now: Panels): string {
  const parts: string[] = [];
  const titles = (panels: Panels, ids: string[]) => ids.map((id) => panels.get(id)!.title).join(", ");
  const added = titles(now, [...now.keys()].filter((id) => !was.has(id)));
  const removed = titles(was, [...was.keys()].filter((id) => !now.has(id)));
  const changed = titles(now, [...now.keys()].filter((id) => was.has(id) && was.get(id)!.json !== now.get(id)!.json));
  if (added.length) parts.push(`panels added ${added}`);
  if (removed.length) parts.push(`panels removed ${removed}`);
  if (changed.length) parts.push(`panels changed ${changed}`);
  return parts.join("; ") || "dashboard settings changed";
}

/** Grafana allows 40 characters in a uid. */
const MAX_UID = 40;

/** `dev-<user>-<uid>`, at most 40 characters; a long one ends in a hash of the full uid so two never collide. */
export function previewUid(uid: string, user: string): string {
  const full = `dev-${user}-${uid}`;
  if (full.length <= MAX_UID) return full;
  const hash = createHash("sha256").update(uid).digest("hex").slice(0, 8);
  return `${full.slice(0, MAX_UID - hash.length - 1)}-${hash}`;
}

/** A copy of a built dashboard for a preview folder: own uid and title, no managed tag, no server id. */
export function previewDashboard(model: Record<string, unknown>, user: string, managedTag: string): Record<string, unknown> {
  const { id: _id, version: _version, ...rest } = model;
  const tags = Array.isArray(model.tags) ? model.tags.filter((t) => t !== managedTag) : [];
  return { ...rest, uid: previewUid(String(model.uid), user), title: `${String(model.title)} [dev ${user}]`, tags };
}
