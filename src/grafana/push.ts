// Orchestration: health, folders (parents first, one at a time), dashboards and alert rule
// groups (bounded concurrency, each object written by exactly one task), then prune. Failures
// are recorded per object and the rest goes on; only a 401 or an unhealthy Grafana stops all.

import pLimit from "p-limit";
import type { GrafanaClient } from "./client";
import { GrafanaApiError } from "./errors";
import type { LoadedOutputs } from "./manifest";
import { MANAGED_TAG, containsJson, desiredDashboard, diffContained, diffJson, isManaged, normalizeRemoteDashboard, sameJson, type Change } from "./plan";

export type Kind = "folder" | "dashboard" | "alert-rule-group";
export type Action = "create" | "update" | "unchanged" | "delete" | "failed" | "skipped";

export interface ItemResult {
  readonly kind: Kind;
  readonly uid: string;
  readonly title: string;
  readonly action: Action;
  /** For update: what differs, capped at PushOptions.diffLimit. */
  readonly changes?: readonly Change[];
  readonly moreChanges?: number;
  readonly error?: string;
  readonly note?: string;
}

export interface PushOptions {
  readonly dryRun?: boolean;
  readonly prune?: boolean;
  readonly alerts?: boolean;
  /** Version history message for every dashboard saved. */
  readonly message: string;
  readonly concurrency?: number;
  readonly diffLimit?: number;
  readonly onItem?: (item: ItemResult, done: number, total: number) => void;
}

export interface PushResult {
  readonly items: readonly ItemResult[];
  /** Set when the push stopped early (unhealthy Grafana, rejected credentials). */
  readonly fatal?: string;
  readonly dryRun: boolean;
  readonly durationMs: number;
  readonly ok: boolean;
}

export function countActions(items: readonly ItemResult[], kind: Kind): Record<Action, number> {
  const counts: Record<Action, number> = { create: 0, update: 0, unchanged: 0, delete: 0, failed: 0, skipped: 0 };
  for (const item of items) if (item.kind === kind) counts[item.action]++;
  return counts;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function push(client: GrafanaClient, outputs: LoadedOutputs, options: PushOptions): Promise<PushResult> {
  const started = Date.now();
  const dryRun = options.dryRun ?? false;
  const diffLimit = options.diffLimit ?? 10;
  const limit = pLimit(options.concurrency ?? 8);
  const items: ItemResult[] = [];
  const groups = options.alerts ? outputs.alertRuleGroups : [];
  let total = outputs.manifest.folders.length + outputs.dashboards.length + groups.length;
  let fatal: string | undefined;

  const record = (item: ItemResult): void => {
    items.push(item);
    options.onItem?.(item, items.length, total);
  };
  /** Runs one object's work; a 401 stops everything not yet started. */
  const attempt = async (kind: Kind, uid: string, title: string, work: () => Promise<Omit<ItemResult, "kind" | "uid" | "title">>) => {
    if (fatal) return record({ kind, uid, title, action: "skipped", error: "not attempted: the push stopped early" });
    try {
      record({ kind, uid, title, ...(await work()) });
    } catch (error) {
      if (error instanceof GrafanaApiError && error.isAuthFailure) fatal ??= error.message;
      record({ kind, uid, title, action: "failed", error: errorText(error) });
    }
  };
  const finish = (): PushResult => ({
    items,
    fatal,
    dryRun,
    durationMs: Date.now() - started,
    ok: !fatal && items.every((i) => i.action !== "failed"),
  });

  try {
    await client.health();
  } catch (error) {
    fatal = `Grafana health check failed: ${errorText(error)}`;
    return finish();
  }

  // Folders: in manifest order (parents first) and one at a time, so a child never races its parent.
  const failedFolders = new Set<string>();
  for (const folder of outputs.manifest.folders) {
    if (folder.parentUid && failedFolders.has(folder.parentUid)) {
      failedFolders.add(folder.uid);
      record({ kind: "folder", uid: folder.uid, title: folder.title, action: "failed", error: `parent folder "${folder.parentUid}" was not pushed` });
      continue;
    }
    await attempt("folder", folder.uid, folder.title, async () => {
      const remote = await client.getFolder(folder.uid);
      if (!remote) {
        if (!dryRun) await client.createFolder({ uid: folder.uid, title: folder.title, ...(folder.parentUid ? { parentUid: folder.parentUid } : {}) });
        return { action: "create" };
      }
      const note =
        (remote.parentUid ?? undefined) !== folder.parentUid
          ? `exists under parent "${remote.parentUid ?? "(root)"}", defined under "${folder.parentUid ?? "(root)"}"; push does not move folders`
          : undefined;
      if (remote.title === folder.title) return { action: "unchanged", ...(note ? { note } : {}) };
      if (!dryRun) await client.updateFolderTitle(folder.uid, folder.title, remote.version);
      return { action: "update", changes: [{ op: "changed", path: "$.title" }], ...(note ? { note } : {}) };
    });
    if (items.at(-1)?.action === "failed" || items.at(-1)?.action === "skipped") failedFolders.add(folder.uid);
  }

  const folderProblem = (folderUid: string): string | undefined =>
    failedFolders.has(folderUid) ? `folder "${folderUid}" was not pushed` : undefined;

  const capped = (changes: Change[]) =>
    changes.length > diffLimit ? { changes: changes.slice(0, diffLimit), moreChanges: changes.length - diffLimit } : { changes };

  await Promise.all(
    outputs.dashboards.map((d) =>
      limit(() =>
        attempt("dashboard", d.uid, d.title, async () => {
          const problem = folderProblem(d.folderUid);
          if (problem) return { action: "failed", error: problem };
          const desired = desiredDashboard(d.model);
          const remote = await client.getDashboard(d.uid);
          let action: Action = "create";
          let changes: Change[] = [];
          if (remote) {
            const current = normalizeRemoteDashboard(remote.dashboard);
            const folderMoved = (remote.meta.folderUid ?? "") !== d.folderUid;
            if (!folderMoved && sameJson(current, desired)) return { action: "unchanged" };
            action = "update";
            changes = [...(folderMoved ? [{ op: "changed" as const, path: "meta.folderUid" }] : []), ...diffJson(current, desired, diffLimit + 1000)];
          }
          if (!dryRun) await client.saveDashboard(desired, d.folderUid, options.message);
          return { action, ...(action === "update" ? capped(changes) : {}) };
        }),
      ),
    ),
  );

  await Promise.all(
    groups.map((g) =>
      limit(() =>
        attempt("alert-rule-group", `${g.folderUid}/${g.name}`, g.name, async () => {
          const problem = folderProblem(g.folderUid);
          if (problem) return { action: "failed", error: problem };
          const remote = await client.getRuleGroup(g.folderUid, g.name);
          if (remote && containsJson(remote, g.body)) return { action: "unchanged" };
          if (!dryRun) await client.putRuleGroup(g.folderUid, g.name, g.body);
          return remote ? { action: "update", ...capped(diffContained(remote, g.body, diffLimit + 1000)) } : { action: "create" };
        }),
      ),
    ),
  );

  if (options.prune && !fatal) {
    const defined = new Set(outputs.dashboards.map((d) => d.uid));
    let stale: { uid: string; title: string }[] = [];
    try {
      const hits = await client.searchDashboardsByTag(MANAGED_TAG);
      // The tag filter is the server's; checking it again here means a search that ignored it deletes nothing.
      stale = hits.filter((h) => isManaged(h.tags) && !defined.has(h.uid));
    } catch (error) {
      if (error instanceof GrafanaApiError && error.isAuthFailure) fatal ??= error.message;
      total += 1;
      record({ kind: "dashboard", uid: "(prune)", title: "search for managed dashboards", action: "failed", error: errorText(error) });
    }
    total += stale.length;
    await Promise.all(
      stale.map((s) =>
        limit(() =>
          attempt("dashboard", s.uid, s.title, async () => {
            if (!dryRun) await client.deleteDashboard(s.uid);
            return { action: "delete" };
          }),
        ),
      ),
    );
  }

  return finish();
}
