// Orchestration: health, the API for folders and dashboards (legacy /api or the resource API,
// resources.ts), folders (parents first, one at a time), dashboards and alert rule groups
// (bounded concurrency, each object written by exactly one task), then prune — only when
// every object of the run was pushed. Failures are recorded per object and the rest goes on;
// an unhealthy Grafana, a 401 or the --deadline stops all, and what was not tried is "skipped".

import pLimit from "p-limit";
import type { GrafanaClient } from "./client";
import { discoverResourceApi, ResourceClient } from "./resources";
import { DeadlineError, GrafanaApiError } from "./errors";
import type { LoadedOutputs } from "./manifest";
import { MANAGED_TAG, containsJson, desiredDashboard, diffContained, diffJson, isManaged, isObject, normalizeRemoteDashboard, sameJson, type Change } from "./plan";

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
  /**
   * A folder that is missing by uid but exists with the same title under the same parent (made by
   * hand) is never duplicated; with this set, push uses that folder instead of failing.
   */
  readonly adoptFolders?: boolean;
  /** Time for the whole push; default DEFAULT_DEADLINE_MS. */
  readonly deadlineMs?: number;
  /** Folders and dashboards through the legacy /api, the resource API (/apis), or whichever the server has (default). */
  readonly api?: ApiChoice;
  readonly onItem?: (item: ItemResult, done: number, total: number) => void;
}

export const DEFAULT_DEADLINE_MS = 300_000;

export type ApiChoice = "legacy" | "resources" | "auto";

/** The calls folders and dashboards go through; the legacy client and the resource client both have them. */
type DashboardStore = Pick<
  GrafanaClient,
  "getFolder" | "listFolders" | "createFolder" | "updateFolderTitle" | "getDashboard" | "saveDashboard" | "deleteDashboard" | "searchDashboardsByTag"
>;

export interface PushResult {
  readonly items: readonly ItemResult[];
  /** Set when the push stopped early (unhealthy Grafana, rejected credentials, deadline). */
  readonly fatal?: string;
  /** Things the user should know that are not per object (e.g. why prune did not run). */
  readonly warnings: readonly string[];
  /** Which API folders and dashboards went through, and why (set once the health check passed). */
  readonly api?: string;
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

type Outcome = Omit<ItemResult, "kind" | "uid" | "title">;

/** A rule-group body aimed at another folder uid (an adopted folder). */
function inFolder(body: Record<string, unknown>, folderUid: string): Record<string, unknown> {
  const rules = Array.isArray(body.rules) ? body.rules.map((r: unknown) => (isObject(r) ? { ...r, folderUID: folderUid } : r)) : body.rules;
  return { ...body, folderUid, rules };
}

export async function push(client: GrafanaClient, outputs: LoadedOutputs, options: PushOptions): Promise<PushResult> {
  const started = Date.now();
  const dryRun = options.dryRun ?? false;
  const diffLimit = options.diffLimit ?? 10;
  const limit = pLimit(options.concurrency ?? 8);
  const grafana = client.withDeadline(options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const items: ItemResult[] = [];
  const warnings: string[] = [];
  const groups = options.alerts ? outputs.alertRuleGroups : [];
  let total = outputs.manifest.folders.length + outputs.dashboards.length + groups.length;
  let fatal: string | undefined;
  let apiUsed: string | undefined;

  const record = (item: ItemResult): void => {
    items.push(item);
    options.onItem?.(item, items.length, total);
  };
  const stopped = (): boolean => {
    if (!fatal && grafana.http.deadlineReached) fatal = `the push deadline of ${(options.deadlineMs ?? DEFAULT_DEADLINE_MS) / 1000} s was reached`;
    return fatal !== undefined;
  };
  /** Runs one object's work. After a 401 or the deadline nothing new starts: the rest is "skipped". */
  const attempt = async (kind: Kind, uid: string, title: string, work: () => Promise<Outcome>): Promise<Action> => {
    const skip = (): Action => {
      record({ kind, uid, title, action: "skipped", error: `not attempted: ${fatal}` });
      return "skipped";
    };
    if (stopped()) return skip();
    try {
      const outcome = await work();
      record({ kind, uid, title, ...outcome });
      return outcome.action;
    } catch (error) {
      // A 401 stops the push; concurrent objects that hit it after the first are skipped, not failed.
      if (error instanceof GrafanaApiError && error.isAuthFailure) {
        if (fatal) return skip();
        fatal = error.message;
      }
      if (error instanceof DeadlineError) stopped();
      record({ kind, uid, title, action: "failed", error: errorText(error) });
      return "failed";
    }
  };
  const finish = (): PushResult => ({
    items,
    fatal,
    warnings,
    ...(apiUsed ? { api: apiUsed } : {}),
    dryRun,
    durationMs: Date.now() - started,
    ok: !fatal && items.every((i) => i.action !== "failed"),
  });

  try {
    await grafana.health();
  } catch (error) {
    fatal = `Grafana health check failed: ${errorText(error)}`;
    return finish();
  }

  // Folders and dashboards go through the resource API when asked to, or (auto) when the server serves it.
  let store: DashboardStore = grafana;
  apiUsed = "legacy (/api)";
  const choice = options.api ?? "auto";
  if (choice !== "legacy") {
    try {
      const discovery = await discoverResourceApi(grafana.http, grafana.http.orgId);
      if ("api" in discovery) {
        store = new ResourceClient(grafana.http, discovery.api);
        const { dashboardVersion, folderVersion, namespace } = discovery.api;
        apiUsed = `resources (dashboard.grafana.app/${dashboardVersion}, folder.grafana.app/${folderVersion}, namespace ${namespace})`;
      } else if (choice === "resources") {
        fatal = `--api resources: ${discovery.reason}; use --api legacy (or auto)`;
        return finish();
      } else {
        apiUsed = `legacy (/api): ${discovery.reason}`;
      }
    } catch (error) {
      // Rejected credentials stop everything; otherwise auto carries on with /api (after the
      // deadline, every object is then reported as skipped).
      if (choice === "resources" || (error instanceof GrafanaApiError && error.isAuthFailure)) {
        fatal = stopped() ? fatal : `resource API discovery failed: ${errorText(error)}`;
        return finish();
      }
      warnings.push(`resource API discovery failed (${errorText(error)}); using the legacy API`);
    }
  }

  // Folders: in manifest order (parents first) and one at a time, so a child never races its parent.
  // remoteUid maps a defined folder to the folder that holds its content on the server (itself, or an adopted twin).
  const remoteUid = new Map<string, string>();
  /** Folders a dry run would create: nothing is under them yet. */
  const planned = new Set<string>();
  for (const folder of outputs.manifest.folders) {
    const parent = folder.parentUid === undefined ? undefined : remoteUid.get(folder.parentUid);
    const action = await attempt("folder", folder.uid, folder.title, async () => {
      if (folder.parentUid !== undefined && parent === undefined) return { action: "failed", error: `parent folder "${folder.parentUid}" was not pushed` };
      const remote = await store.getFolder(folder.uid);
      if (!remote) {
        const siblings = parent !== undefined && planned.has(parent) ? [] : await store.listFolders(parent);
        const twin = siblings.find((f) => f.title === folder.title && f.uid !== folder.uid);
        if (twin) {
          const both = `a folder titled ${JSON.stringify(folder.title)} already exists ${parent ? `under "${parent}" ` : ""}with uid "${twin.uid}" (defined uid "${folder.uid}")`;
          if (!options.adoptFolders) {
            warnings.push(`${both}: not creating a duplicate`);
            return { action: "failed", error: `${both}; not creating a duplicate. Pass --adopt-folders to push into "${twin.uid}", or rename or remove that folder` };
          }
          warnings.push(`${both}: adopted it (--adopt-folders)`);
          remoteUid.set(folder.uid, twin.uid);
          return { action: "unchanged", note: `adopted the existing folder "${twin.uid}" with the same title` };
        }
        if (dryRun) planned.add(folder.uid);
        else await store.createFolder({ uid: folder.uid, title: folder.title, ...(parent ? { parentUid: parent } : {}) });
        remoteUid.set(folder.uid, folder.uid);
        return { action: "create" };
      }
      remoteUid.set(folder.uid, folder.uid);
      const note =
        (remote.parentUid ?? undefined) !== parent
          ? `exists under parent "${remote.parentUid ?? "(root)"}", defined under "${parent ?? "(root)"}"; push does not move folders`
          : undefined;
      if (remote.title === folder.title) return { action: "unchanged", ...(note ? { note } : {}) };
      if (!dryRun) await store.updateFolderTitle(folder.uid, folder.title, remote.version);
      return { action: "update", changes: [{ op: "changed", path: "$.title" }], ...(note ? { note } : {}) };
    });
    if (action === "failed" || action === "skipped") remoteUid.delete(folder.uid);
  }

  /** Where a defined folder's content goes on the server; "" is the General folder. */
  const target = (folderUid: string): string | undefined => (folderUid === "" ? "" : remoteUid.get(folderUid));
  const capped = (changes: Change[]) =>
    changes.length > diffLimit ? { changes: changes.slice(0, diffLimit), moreChanges: changes.length - diffLimit } : { changes };

  await Promise.all(
    outputs.dashboards.map((d) =>
      limit(() =>
        attempt("dashboard", d.uid, d.title, async () => {
          const folderUid = target(d.folderUid);
          if (folderUid === undefined) return { action: "failed", error: `folder "${d.folderUid}" was not pushed` };
          const desired = desiredDashboard(d.model);
          const remote = await store.getDashboard(d.uid);
          let action: Action = "create";
          let changes: Change[] = [];
          if (remote) {
            const current = normalizeRemoteDashboard(remote.dashboard);
            const folderMoved = (remote.meta.folderUid ?? "") !== folderUid;
            if (!folderMoved && sameJson(current, desired)) return { action: "unchanged" };
            action = "update";
            changes = [...(folderMoved ? [{ op: "changed" as const, path: "meta.folderUid" }] : []), ...diffJson(current, desired, diffLimit + 1000)];
          }
          if (!dryRun) await store.saveDashboard(desired, folderUid, options.message);
          return { action, ...(action === "update" ? capped(changes) : {}) };
        }),
      ),
    ),
  );

  await Promise.all(
    groups.map((g) =>
      limit(() =>
        attempt("alert-rule-group", `${g.folderUid}/${g.name}`, g.name, async () => {
          const folderUid = target(g.folderUid);
          if (folderUid === undefined) return { action: "failed", error: `folder "${g.folderUid}" was not pushed` };
          const body = folderUid === g.folderUid ? g.body : inFolder(g.body, folderUid);
          const remote = await grafana.getRuleGroup(folderUid, g.name);
          if (remote && containsJson(remote, body)) return { action: "unchanged" };
          if (!dryRun) await grafana.putRuleGroup(folderUid, g.name, body);
          return remote ? { action: "update", ...capped(diffContained(remote, body, diffLimit + 1000)) } : { action: "create" };
        }),
      ),
    ),
  );

  if (options.prune && !stopped()) {
    const notPushed = items.filter((i) => i.action === "failed" || i.action === "skipped").length;
    if (notPushed > 0) warnings.push(`prune skipped: ${notPushed} object(s) of this run were not pushed, so nothing was deleted (prune runs only after every save succeeded)`);
    else await prune();
  }
  return finish();

  async function prune(): Promise<void> {
    const defined = new Set(outputs.dashboards.map((d) => d.uid));
    let stale: { uid: string; title: string }[] = [];
    try {
      const hits = await store.searchDashboardsByTag(MANAGED_TAG);
      // The tag filter is the server's; checking it again here means a search that ignored it deletes nothing.
      stale = hits.filter((h) => isManaged(h.tags) && !defined.has(h.uid));
    } catch (error) {
      total += 1;
      await attempt("dashboard", "(prune)", "search for managed dashboards", () => Promise.reject(error));
      return;
    }
    total += stale.length;
    await Promise.all(
      stale.map((s) =>
        limit(() =>
          attempt("dashboard", s.uid, s.title, async () => {
            // Re-read right before deleting: a person may have removed the tag since the search.
            const current = await store.getDashboard(s.uid);
            if (!current) return { action: "skipped", note: "already gone" };
            if (!isManaged(current.dashboard.tags)) return { action: "skipped", note: `no longer tagged ${MANAGED_TAG} (changed since the search): not deleted` };
            const version = current.meta.version === undefined ? "" : ` (version ${current.meta.version})`;
            if (dryRun) return { action: "delete", note: `would delete${version}` };
            const outcome = await store.deleteDashboard(s.uid);
            return outcome === "deleted" ? { action: "delete", note: `deleted${version}` } : { action: "skipped", note: "already gone (someone else deleted it)" };
          }),
        ),
      ),
    );
  }
}
