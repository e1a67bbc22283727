// Deciding what to write: compare the built model with what Grafana holds, after removing the
// fields Grafana owns, and describe the difference as JSON paths for --dry-run.

import { isDeepStrictEqual } from "node:util";

/** Marks dashboards this repository manages; --prune only ever deletes dashboards with it. */
export const MANAGED_TAG = "managed-by:254carbon-observability";

// Set by Grafana on save/read, never part of our definition (grafana-api.md "Dashboards").
const SERVER_DASHBOARD_FIELDS = ["id", "version"] as const;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The model as it will be sent: our definition plus the managed tag, without server fields. */
export function desiredDashboard(model: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...model };
  for (const field of SERVER_DASHBOARD_FIELDS) delete out[field];
  const tags = Array.isArray(out.tags) ? (out.tags as unknown[]) : [];
  out.tags = tags.includes(MANAGED_TAG) ? tags : [...tags, MANAGED_TAG];
  return out;
}

/** The stored model with server fields removed, ready to compare with desiredDashboard(). */
export function normalizeRemoteDashboard(remote: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...remote };
  for (const field of SERVER_DASHBOARD_FIELDS) delete out[field];
  return out;
}

export function isManaged(tags: unknown): boolean {
  return Array.isArray(tags) && tags.includes(MANAGED_TAG);
}

export interface Change {
  readonly op: "changed" | "added" | "removed";
  /** JSONPath-like: `$.panels[3].targets[0].expr`. */
  readonly path: string;
}

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Leaf-level differences from `before` to `after`, in document order; stops after `limit`. */
export function diffJson(before: unknown, after: unknown, limit = Number.POSITIVE_INFINITY): Change[] {
  const changes: Change[] = [];
  const walk = (a: unknown, b: unknown, at: string): void => {
    if (changes.length >= limit) return;
    if (isObject(a) && isObject(b)) {
      for (const key of Object.keys(b)) {
        if (changes.length >= limit) return;
        if (!(key in a)) changes.push({ op: "added", path: childPath(at, key) });
        else walk(a[key], b[key], childPath(at, key));
      }
      for (const key of Object.keys(a)) {
        if (changes.length >= limit) return;
        if (!(key in b)) changes.push({ op: "removed", path: childPath(at, key) });
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n && changes.length < limit; i++) {
        if (i >= a.length) changes.push({ op: "added", path: childPath(at, i) });
        else if (i >= b.length) changes.push({ op: "removed", path: childPath(at, i) });
        else walk(a[i], b[i], childPath(at, i));
      }
      return;
    }
    if (!isDeepStrictEqual(a, b)) changes.push({ op: "changed", path: at });
  };
  walk(before, after, "$");
  return changes;
}

/** Deep equality that ignores key order (isDeepStrictEqual does) and nothing else. */
export const sameJson = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a, b);

/**
 * Whether `remote` holds everything `desired` says, ignoring extra keys Grafana adds to objects
 * (ids, timestamps, provenance on alert rules). Arrays must match in length and order.
 */
export function containsJson(remote: unknown, desired: unknown): boolean {
  if (isObject(desired)) {
    if (!isObject(remote)) return false;
    return Object.keys(desired).every((key) => key in remote && containsJson(remote[key], desired[key]));
  }
  if (Array.isArray(desired)) {
    return Array.isArray(remote) && remote.length === desired.length && desired.every((d, i) => containsJson(remote[i], d));
  }
  return isDeepStrictEqual(remote, desired);
}

/** Like diffJson, but keys present only in `remote` are server-side and not reported. */
export function diffContained(remote: unknown, desired: unknown, limit = Number.POSITIVE_INFINITY): Change[] {
  return diffJson(remote, desired, limit).filter((c) => c.op !== "removed" || !/\.[A-Za-z_$][\w$]*$|\["[^"]*"\]$/.test(c.path));
}
