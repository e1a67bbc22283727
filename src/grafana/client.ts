// Typed calls to the Grafana endpoints push needs (grafana-api.md). Every answer is checked
// against the shape Grafana gives it: a 2xx from a reverse proxy's login page, or an object
// without the fields Grafana always sends, is an error naming the status and a short, masked
// snippet of the body, never a success. Transport, retries and redaction live in http.ts.

import { GrafanaApiError, UnexpectedResponseError } from "./errors";
import { HttpClient, type HttpOptions, type HttpResponse } from "./http";
import { isObject } from "./plan";

export interface RemoteDashboard {
  readonly dashboard: Record<string, unknown>;
  readonly meta: { readonly version?: number; readonly folderUid?: string; readonly provisioned?: boolean };
}

export interface RemoteFolder {
  readonly uid: string;
  readonly title: string;
  readonly parentUid?: string;
  readonly version?: number;
}

export interface SearchHit {
  readonly uid: string;
  readonly title: string;
  readonly tags?: readonly string[];
  readonly folderUid?: string;
}

export interface ClientSettings {
  /** Page size for search and folder listings (Grafana allows up to 5000). */
  readonly pageSize?: number;
}

/** How long the health check may take with its retries: an unreachable Grafana fails in seconds. */
export const HEALTH_WINDOW_MS = 3_000;

const enc = encodeURIComponent;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function folderOf(body: unknown, uid?: string): RemoteFolder | undefined {
  if (!isObject(body) || typeof body.uid !== "string" || typeof body.title !== "string") return undefined;
  if (uid !== undefined && body.uid !== uid) return undefined;
  return { uid: body.uid, title: body.title, ...(str(body.parentUid) ? { parentUid: str(body.parentUid) } : {}), ...(num(body.version) !== undefined ? { version: num(body.version) } : {}) };
}

/** Checks a response's body; anything else becomes an UnexpectedResponseError (status and a masked snippet). */
export function expectBody<T>(http: HttpClient, res: HttpResponse, method: string, path: string, expected: string, read: (body: unknown) => T | undefined): T {
  const value = res.body === undefined ? undefined : read(res.body);
  if (value === undefined) throw new UnexpectedResponseError(method, path, res.status, expected, http.redactor.snippet(res.text));
  return value;
}

/** A 404 means "not there" only when the server says so in JSON; a proxy's HTML 404 page does not. */
export function isJsonNotFound(http: HttpClient, res: HttpResponse, method: string, path: string, expected: string): boolean {
  if (res.status !== 404) return false;
  expectBody(http, res, method, path, expected, (b) => b);
  return true;
}

export class GrafanaClient {
  readonly http: HttpClient;
  private readonly pageSize: number;

  constructor(options: HttpOptions | HttpClient, private readonly settings: ClientSettings = {}) {
    this.http = options instanceof HttpClient ? options : new HttpClient(options);
    this.pageSize = settings.pageSize ?? 1000;
  }

  /** The same client with every request ending `ms` from now (the whole push's --deadline). */
  withDeadline(ms: number): GrafanaClient {
    return new GrafanaClient(this.http.withDeadline(ms), this.settings);
  }

  private expect<T>(res: HttpResponse, method: string, path: string, expected: string, read: (body: unknown) => T | undefined): T {
    return expectBody(this.http, res, method, path, expected, read);
  }

  private notFound(res: HttpResponse, method: string, path: string): boolean {
    return isJsonNotFound(this.http, res, method, path, "Grafana's JSON 404 body");
  }

  /** GET /api/health (no auth needed); throws unless the database is ok. Fails within HEALTH_WINDOW_MS. */
  async health(): Promise<{ version?: string }> {
    const path = "/api/health";
    const res = await this.http.request("GET", path, { retry: { totalTimeMs: HEALTH_WINDOW_MS } });
    const body = this.expect(res, "GET", path, 'a JSON object with "database"', (b) => (isObject(b) && "database" in b ? b : undefined));
    if (body.database !== "ok") throw new Error(`Grafana is not healthy: database is ${String(body.database)}`);
    return { version: str(body.version) };
  }

  async getDashboard(uid: string): Promise<RemoteDashboard | null> {
    const path = `/api/dashboards/uid/${enc(uid)}`;
    const res = await this.http.request("GET", path, { accept: [404] });
    if (this.notFound(res, "GET", path)) return null;
    return this.expect(res, "GET", path, "a dashboard ({dashboard, meta})", (b) => {
      if (!isObject(b) || !isObject(b.dashboard) || b.dashboard.uid !== uid || (b.meta !== undefined && !isObject(b.meta))) return undefined;
      const meta = isObject(b.meta) ? b.meta : {};
      return { dashboard: b.dashboard, meta: { version: num(meta.version), folderUid: str(meta.folderUid), provisioned: meta.provisioned === true } };
    });
  }

  async saveDashboard(dashboard: Record<string, unknown>, folderUid: string, message: string): Promise<{ version: number }> {
    const path = "/api/dashboards/db";
    const res = await this.http.request("POST", path, {
      // overwrite: true makes the save independent of the stored version; we compared just before.
      body: { dashboard, folderUid, overwrite: true, message },
    });
    return this.expect(res, "POST", path, 'the saved dashboard\'s {"status":"success", uid, version}', (b) =>
      isObject(b) && num(b.version) !== undefined && (b.uid === undefined || b.uid === dashboard.uid) ? { version: num(b.version)! } : undefined,
    );
  }

  /**
   * "deleted", or "absent" when Grafana says it does not exist. A 404 on a retried delete means an
   * earlier attempt deleted it and its reply was lost: that is "deleted" too.
   */
  async deleteDashboard(uid: string): Promise<"deleted" | "absent"> {
    const path = `/api/dashboards/uid/${enc(uid)}`;
    const res = await this.http.request("DELETE", path, { accept: [404] });
    if (this.notFound(res, "DELETE", path)) return res.attempts > 1 ? "deleted" : "absent";
    this.expect(res, "DELETE", path, 'Grafana\'s {"title", "message"} for a deleted dashboard', (b) => (isObject(b) && typeof b.message === "string" ? b : undefined));
    return "deleted";
  }

  /** Every dashboard with `tag`, paging until a short page. */
  async searchDashboardsByTag(tag: string): Promise<SearchHit[]> {
    const hits: SearchHit[] = [];
    for (let page = 1; ; page++) {
      const path = `/api/search?type=dash-db&tag=${enc(tag)}&limit=${this.pageSize}&page=${page}`;
      const res = await this.http.request("GET", path);
      const batch = this.expect(res, "GET", path, "a JSON array of search hits", (b) =>
        Array.isArray(b) && b.every((h) => isObject(h) && typeof h.uid === "string") ? (b as Record<string, unknown>[]) : undefined,
      );
      for (const h of batch) {
        const tags = Array.isArray(h.tags) ? h.tags.filter((t): t is string => typeof t === "string") : undefined;
        hits.push({ uid: String(h.uid), title: str(h.title) ?? String(h.uid), ...(tags ? { tags } : {}), ...(str(h.folderUid) ? { folderUid: str(h.folderUid) } : {}) });
      }
      if (batch.length < this.pageSize) return hits;
    }
  }

  /** The folders directly under `parentUid` (top level when undefined), paging until a short page. */
  async listFolders(parentUid: string | undefined): Promise<RemoteFolder[]> {
    const folders: RemoteFolder[] = [];
    for (let page = 1; ; page++) {
      const path = `/api/folders?limit=${this.pageSize}&page=${page}${parentUid ? `&parentUid=${enc(parentUid)}` : ""}`;
      const res = await this.http.request("GET", path);
      const batch = this.expect(res, "GET", path, "a JSON array of folders", (b) => {
        const list = Array.isArray(b) ? b.map((f) => folderOf(f)) : undefined;
        return list?.every((f) => f !== undefined) ? (list as RemoteFolder[]) : undefined;
      });
      folders.push(...batch);
      if (batch.length < this.pageSize) return folders;
    }
  }

  async getFolder(uid: string): Promise<RemoteFolder | null> {
    const path = `/api/folders/${enc(uid)}`;
    const res = await this.http.request("GET", path, { accept: [404] });
    if (this.notFound(res, "GET", path)) return null;
    return this.expect(res, "GET", path, `the folder "${uid}" ({uid, title})`, (b) => folderOf(b, uid));
  }

  /** Creates the folder; when its uid already exists (412 current, 409 older Grafana) returns the existing one. */
  async createFolder(folder: { uid: string; title: string; parentUid?: string }): Promise<{ folder: RemoteFolder; created: boolean }> {
    const path = "/api/folders";
    const res = await this.http.request("POST", path, { body: folder, accept: [409, 412] });
    if (res.status === 409 || res.status === 412) {
      const existing = await this.getFolder(folder.uid);
      if (!existing) throw new GrafanaApiError("POST", path, res.status, res.body, false, undefined, this.http.redactor.snippet(res.text));
      return { folder: existing, created: false };
    }
    return { folder: this.expect(res, "POST", path, `the created folder "${folder.uid}"`, (b) => folderOf(b, folder.uid)), created: true };
  }

  async updateFolderTitle(uid: string, title: string, version: number | undefined): Promise<void> {
    const path = `/api/folders/${enc(uid)}`;
    const res = await this.http.request("PUT", path, { body: { title, version, overwrite: true } });
    this.expect(res, "PUT", path, `the updated folder "${uid}"`, (b) => folderOf(b, uid));
  }

  async getRuleGroup(folderUid: string, group: string): Promise<Record<string, unknown> | null> {
    const path = `/api/v1/provisioning/folder/${enc(folderUid)}/rule-groups/${enc(group)}`;
    const res = await this.http.request("GET", path, { accept: [404] });
    if (this.notFound(res, "GET", path)) return null;
    return this.expect(res, "GET", path, "a rule group ({title, rules})", (b) => (isObject(b) && Array.isArray(b.rules) ? b : undefined));
  }

  /** Replaces the whole group. X-Disable-Provenance keeps the rules editable in the UI; we never switch modes. */
  async putRuleGroup(folderUid: string, group: string, body: Record<string, unknown>): Promise<void> {
    const path = `/api/v1/provisioning/folder/${enc(folderUid)}/rule-groups/${enc(group)}`;
    const res = await this.http.request("PUT", path, { body, headers: { "X-Disable-Provenance": "true" } });
    this.expect(res, "PUT", path, "the stored rule group ({title, rules})", (b) => (isObject(b) && Array.isArray(b.rules) ? b : undefined));
  }
}
