// Folders and dashboards through Grafana 12+'s Kubernetes-style resource API
// (`/apis/<group>/<version>/namespaces/<ns>/<resource>`, grafana-resources.md §1), with the same
// calls as GrafanaClient's legacy ones so push runs unchanged on either. Writes are optimistic:
// an update sends the `metadata.resourceVersion` of the read just before it; a conflict (409, or
// 412 as folder.md documents) re-reads and retries once, then fails naming the object.

import { GrafanaApiError, UnexpectedResponseError } from "./errors";
import type { HttpClient, HttpResponse } from "./http";
import { expectBody, HEALTH_WINDOW_MS, isJsonNotFound, type RemoteDashboard, type RemoteFolder, type SearchHit } from "./client";
import { isObject, sameJson } from "./plan";

/** Dashboard spec versions that hold the classic dashboard JSON we push (v2* is another model). */
const CLASSIC_VERSIONS = ["v1", "v1beta1"] as const;
const FOLDER_ANNOTATION = "grafana.app/folder";
const MESSAGE_ANNOTATION = "grafana.app/message";
const enc = encodeURIComponent;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export interface ResourceApi {
  readonly namespace: string;
  readonly dashboardVersion: string;
  readonly folderVersion: string;
}

/** The discovery answer: the versions to use, or why the resource API cannot be used. */
export type Discovery = { readonly api: ResourceApi } | { readonly reason: string };

/** Thrown when an update still conflicts after re-reading and retrying once. */
export class ResourceConflictError extends Error {
  constructor(kind: string, name: string, status: number) {
    super(`conflict (${status}) updating ${kind} "${name}": it changed again between our re-read and our retry; someone else is writing it at the same time. Re-run the push.`);
    this.name = "ResourceConflictError";
  }
}

interface K8sObject {
  readonly metadata: { readonly name: string; readonly resourceVersion: string; readonly annotations: Readonly<Record<string, string>>; readonly generation?: number };
  readonly spec: Record<string, unknown>;
}

function k8sObject(body: unknown, name?: string): K8sObject | undefined {
  if (!isObject(body) || !isObject(body.metadata) || !isObject(body.spec)) return undefined;
  const { metadata } = body;
  if (typeof metadata.name !== "string" || (name !== undefined && metadata.name !== name) || typeof metadata.resourceVersion !== "string") return undefined;
  const annotations = isObject(metadata.annotations) ? Object.fromEntries(Object.entries(metadata.annotations).filter((e): e is [string, string] => typeof e[1] === "string")) : {};
  const generation = typeof metadata.generation === "number" ? metadata.generation : undefined;
  return { metadata: { name: metadata.name, resourceVersion: metadata.resourceVersion, annotations, ...(generation !== undefined ? { generation } : {}) }, spec: body.spec };
}

/** The first version of `ours` that the API group lists (GET /apis answer), if any. */
function pickVersion(groups: readonly Record<string, unknown>[], group: string, ours: readonly string[]): string | undefined {
  const entry = groups.find((g) => g.name === group);
  const served = Array.isArray(entry?.versions) ? entry.versions.filter(isObject).map((v) => v.version) : [];
  return ours.find((v) => served.includes(v));
}

/**
 * GET /apis (the APIGroupList) and the namespace from GET /bootdata (settings.namespace, as gcx
 * reads it), falling back to the org: "default" for org 1, "org-<id>" otherwise. Anything but a
 * group list (an older Grafana answers /apis with its HTML app page or a 404) means "not served".
 * Like the health check, discovery gets a few seconds, not the whole retry budget.
 */
export async function discoverResourceApi(http: HttpClient, orgId: number | undefined): Promise<Discovery> {
  const quick = { retry: { totalTimeMs: HEALTH_WINDOW_MS } };
  const res = await http.request("GET", "/apis", { accept: [404], ...quick });
  const groups = isObject(res.body) && Array.isArray(res.body.groups) ? res.body.groups.filter(isObject) : undefined;
  if (res.status !== 200 || !groups) return { reason: `GET /apis answered ${res.status} without an API group list (Grafana before 12, or the API is off)` };
  const dashboardVersion = pickVersion(groups, "dashboard.grafana.app", CLASSIC_VERSIONS);
  const folderVersion = pickVersion(groups, "folder.grafana.app", CLASSIC_VERSIONS);
  if (!dashboardVersion || !folderVersion) return { reason: `the server does not serve dashboard.grafana.app and folder.grafana.app in ${CLASSIC_VERSIONS.join(" or ")}` };
  const boot = await http.request("GET", "/bootdata", { accept: [404], ...quick });
  const fromBoot = isObject(boot.body) && isObject(boot.body.settings) ? str(boot.body.settings.namespace) : undefined;
  const namespace = fromBoot ?? (orgId === undefined || orgId === 1 ? "default" : `org-${orgId}`);
  return { api: { namespace, dashboardVersion, folderVersion } };
}

/** Whether `current` holds `wanted`'s spec and its folder (the message annotation is history, not state). */
function alreadyWritten(current: K8sObject, wanted: { annotations: Record<string, string>; spec: Record<string, unknown> }): boolean {
  return sameJson(current.spec, wanted.spec) && current.metadata.annotations[FOLDER_ANNOTATION] === wanted.annotations[FOLDER_ANNOTATION];
}

export class ResourceClient {
  /** Each object as last read or written: its resourceVersion is the precondition of the next update. */
  private readonly seen = new Map<string, K8sObject>();

  constructor(
    readonly http: HttpClient,
    readonly api: ResourceApi,
    private readonly pageSize = 500,
  ) {}

  private base(kind: "dashboards" | "folders"): string {
    const [group, version] = kind === "dashboards" ? ["dashboard.grafana.app", this.api.dashboardVersion] : ["folder.grafana.app", this.api.folderVersion];
    return `/apis/${group}/${version}/namespaces/${enc(this.api.namespace)}/${kind}`;
  }

  private expect<T>(res: HttpResponse, method: string, path: string, expected: string, read: (body: unknown) => T | undefined): T {
    return expectBody(this.http, res, method, path, expected, read);
  }

  /** A Kubernetes "Status" 404 (or any JSON 404) means absent; a proxy's HTML page does not. */
  private notFound(res: HttpResponse, method: string, path: string): boolean {
    return isJsonNotFound(this.http, res, method, path, "a JSON 404 Status");
  }

  private async get(kind: "dashboards" | "folders", name: string): Promise<K8sObject | null> {
    const path = `${this.base(kind)}/${enc(name)}`;
    const res = await this.http.request("GET", path, { accept: [404] });
    if (this.notFound(res, "GET", path)) {
      this.seen.delete(`${kind}/${name}`);
      return null;
    }
    const object = this.expect(res, "GET", path, `the ${kind.slice(0, -1)} "${name}" ({metadata, spec})`, (b) => k8sObject(b, name));
    this.seen.set(`${kind}/${name}`, object);
    return object;
  }

  /** Every object of `kind`, following `metadata.continue` until the list ends. */
  private async list(kind: "dashboards" | "folders"): Promise<K8sObject[]> {
    const objects: K8sObject[] = [];
    let token: string | undefined;
    for (let pages = 0; ; pages++) {
      const path = `${this.base(kind)}?limit=${this.pageSize}${token ? `&continue=${enc(token)}` : ""}`;
      const res = await this.http.request("GET", path);
      const page = this.expect(res, "GET", path, `a ${kind} list ({items, metadata})`, (b) => {
        if (!isObject(b) || !Array.isArray(b.items) || (b.metadata !== undefined && !isObject(b.metadata))) return undefined;
        const items = b.items.map((item) => k8sObject(item));
        return items.every((i) => i !== undefined) ? { items: items as K8sObject[], next: isObject(b.metadata) ? str(b.metadata.continue) : undefined } : undefined;
      });
      objects.push(...page.items);
      if (!page.next) return objects;
      if (page.next === token || pages > 100_000) throw new UnexpectedResponseError("GET", path, res.status, "a list whose continue token moves on", page.next);
      token = page.next;
    }
  }

  /**
   * Creates (POST) or updates (PUT with the last seen resourceVersion) one object. A conflict —
   * 409 on create (it exists after all) or 409/412 on update (it changed) — re-reads and writes
   * once more; a second conflict is a ResourceConflictError. When the re-read object already is
   * what we write, our earlier attempt went through and only its reply was lost (the HTTP retry
   * then met our own new resourceVersion): that is success, not a conflict.
   */
  private async write(kind: "dashboards" | "folders", name: string, build: (current: K8sObject | null) => { annotations: Record<string, string>; spec: Record<string, unknown> }): Promise<K8sObject> {
    const apiVersion = kind === "dashboards" ? `dashboard.grafana.app/${this.api.dashboardVersion}` : `folder.grafana.app/${this.api.folderVersion}`;
    const objectKind = kind === "dashboards" ? "Dashboard" : "Folder";
    // First what the caller read just before; after a conflict, a fresh read.
    let current = this.seen.get(`${kind}/${name}`) ?? null;
    for (let attempt = 1; ; attempt++) {
      const resourceVersion = current?.metadata.resourceVersion;
      const { annotations, spec } = build(current);
      const metadata = { name, annotations, ...(resourceVersion ? { resourceVersion } : {}) };
      const body = { apiVersion, kind: objectKind, metadata, spec };
      const [method, path] = resourceVersion ? ["PUT", `${this.base(kind)}/${enc(name)}`] : ["POST", this.base(kind)];
      const res = await this.http.request(method, path, { body, accept: [409, 412] });
      if (res.status === 409 || res.status === 412) {
        if (attempt > 1) throw new ResourceConflictError(objectKind, name, res.status);
        current = await this.get(kind, name);
        if (current && alreadyWritten(current, build(current))) return current;
        continue;
      }
      const written = this.expect(res, method, path, `the written ${objectKind.toLowerCase()} "${name}" ({metadata, spec})`, (b) => k8sObject(b, name));
      this.seen.set(`${kind}/${name}`, written);
      return written;
    }
  }

  // ---- the calls push makes, shaped like GrafanaClient's ----

  async getDashboard(uid: string): Promise<RemoteDashboard | null> {
    const object = await this.get("dashboards", uid);
    if (!object) return null;
    // metadata.name is the uid; the spec need not repeat it.
    const folderUid = object.metadata.annotations[FOLDER_ANNOTATION] ?? "";
    return { dashboard: { ...object.spec, uid }, meta: { version: object.metadata.generation, folderUid } };
  }

  async saveDashboard(dashboard: Record<string, unknown>, folderUid: string, message: string): Promise<{ version: number }> {
    const uid = String(dashboard.uid);
    const { uid: _name, id: _id, version: _version, ...spec } = dashboard;
    const annotations = { ...(folderUid ? { [FOLDER_ANNOTATION]: folderUid } : {}), [MESSAGE_ANNOTATION]: message };
    const written = await this.write("dashboards", uid, () => ({ annotations, spec }));
    return { version: written.metadata.generation ?? 0 };
  }

  async deleteDashboard(uid: string): Promise<"deleted" | "absent"> {
    const path = `${this.base("dashboards")}/${enc(uid)}`;
    const res = await this.http.request("DELETE", path, { accept: [404] });
    this.seen.delete(`dashboards/${uid}`);
    if (this.notFound(res, "DELETE", path)) return res.attempts > 1 ? "deleted" : "absent";
    this.expect(res, "DELETE", path, "a Status or the deleted object", (b) => (isObject(b) ? b : undefined));
    return "deleted";
  }

  /**
   * Every dashboard carrying `tag` in spec.tags. The list is read whole, page by page, and filtered
   * here: label selectors are not reliable on dashboards (grafana-resources.md §1).
   */
  async searchDashboardsByTag(tag: string): Promise<SearchHit[]> {
    const all = await this.list("dashboards");
    return all
      .filter((d) => Array.isArray(d.spec.tags) && d.spec.tags.includes(tag))
      .map((d) => ({
        uid: d.metadata.name,
        title: str(d.spec.title) ?? d.metadata.name,
        tags: (d.spec.tags as unknown[]).filter((t): t is string => typeof t === "string"),
        ...(d.metadata.annotations[FOLDER_ANNOTATION] ? { folderUid: d.metadata.annotations[FOLDER_ANNOTATION] } : {}),
      }));
  }

  private folderOf(object: K8sObject): RemoteFolder {
    const parentUid = object.metadata.annotations[FOLDER_ANNOTATION];
    return { uid: object.metadata.name, title: str(object.spec.title) ?? "", ...(parentUid ? { parentUid } : {}), ...(object.metadata.generation !== undefined ? { version: object.metadata.generation } : {}) };
  }

  async getFolder(uid: string): Promise<RemoteFolder | null> {
    const object = await this.get("folders", uid);
    return object ? this.folderOf(object) : null;
  }

  /** The folders directly under `parentUid` (top level when undefined): the whole list, filtered here. */
  async listFolders(parentUid: string | undefined): Promise<RemoteFolder[]> {
    return (await this.list("folders")).map((f) => this.folderOf(f)).filter((f) => f.parentUid === parentUid);
  }

  /** Creates the folder; when its uid already exists, returns the existing one (as the legacy call does). */
  async createFolder(folder: { uid: string; title: string; parentUid?: string }): Promise<{ folder: RemoteFolder; created: boolean }> {
    const path = this.base("folders");
    const body = {
      apiVersion: `folder.grafana.app/${this.api.folderVersion}`,
      kind: "Folder",
      metadata: { name: folder.uid, annotations: folder.parentUid ? { [FOLDER_ANNOTATION]: folder.parentUid } : {} },
      spec: { title: folder.title },
    };
    const res = await this.http.request("POST", path, { body, accept: [409] });
    if (res.status === 409) {
      const existing = await this.getFolder(folder.uid);
      if (!existing) throw new GrafanaApiError("POST", path, res.status, res.body, false, undefined, this.http.redactor.snippet(res.text));
      return { folder: existing, created: false };
    }
    const created = this.expect(res, "POST", path, `the created folder "${folder.uid}"`, (b) => k8sObject(b, folder.uid));
    this.seen.set(`folders/${folder.uid}`, created);
    return { folder: this.folderOf(created), created: true };
  }

  /** Renames the folder (read just before by getFolder), keeping its parent and the rest of its spec. */
  async updateFolderTitle(uid: string, title: string, _version: number | undefined): Promise<void> {
    await this.write("folders", uid, (current) => {
      const parent = current?.metadata.annotations[FOLDER_ANNOTATION];
      const annotations: Record<string, string> = parent ? { [FOLDER_ANNOTATION]: parent } : {};
      return { annotations, spec: { ...(current?.spec ?? {}), title } };
    });
  }
}
