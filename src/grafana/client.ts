// Typed calls to the Grafana endpoints push needs (grafana-api.md). Transport, retries and
// redaction live in http.ts.

import { GrafanaApiError } from "./errors";
import { HttpClient, type HttpOptions } from "./http";

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

const enc = encodeURIComponent;

function object(body: unknown, what: string): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new Error(`${what}: unexpected response body`);
  return body as Record<string, unknown>;
}

export class GrafanaClient {
  readonly http: HttpClient;

  constructor(options: HttpOptions | HttpClient) {
    this.http = options instanceof HttpClient ? options : new HttpClient(options);
  }

  /** GET /api/health (no auth needed); throws unless the database is ok. */
  async health(): Promise<{ version?: string }> {
    const res = await this.http.request("GET", "/api/health");
    const body = object(res.body, "GET /api/health");
    if (body.database !== "ok") throw new Error(`Grafana is not healthy: database is ${String(body.database)}`);
    return { version: typeof body.version === "string" ? body.version : undefined };
  }

  async getDashboard(uid: string): Promise<RemoteDashboard | null> {
    const res = await this.http.request("GET", `/api/dashboards/uid/${enc(uid)}`, { accept: [404] });
    if (res.status === 404) return null;
    const body = object(res.body, "GET dashboard");
    return { dashboard: object(body.dashboard, "GET dashboard"), meta: (body.meta ?? {}) as RemoteDashboard["meta"] };
  }

  async saveDashboard(dashboard: Record<string, unknown>, folderUid: string, message: string): Promise<{ version: number }> {
    const res = await this.http.request("POST", "/api/dashboards/db", {
      // overwrite: true makes the save independent of the stored version; we compared just before.
      body: { dashboard, folderUid, overwrite: true, message },
    });
    return { version: Number(object(res.body, "POST /api/dashboards/db").version) };
  }

  async deleteDashboard(uid: string): Promise<void> {
    await this.http.request("DELETE", `/api/dashboards/uid/${enc(uid)}`);
  }

  /** Every dashboard with `tag`, paging until a short page. */
  async searchDashboardsByTag(tag: string, pageSize = 1000): Promise<SearchHit[]> {
    const hits: SearchHit[] = [];
    for (let page = 1; ; page++) {
      const res = await this.http.request("GET", `/api/search?type=dash-db&tag=${enc(tag)}&limit=${pageSize}&page=${page}`);
      if (!Array.isArray(res.body)) throw new Error("GET /api/search: expected an array");
      hits.push(...(res.body as SearchHit[]));
      if (res.body.length < pageSize) return hits;
    }
  }

  async getFolder(uid: string): Promise<RemoteFolder | null> {
    const res = await this.http.request("GET", `/api/folders/${enc(uid)}`, { accept: [404] });
    if (res.status === 404) return null;
    return object(res.body, "GET folder") as unknown as RemoteFolder;
  }

  /** Creates the folder; when its uid already exists (412 current, 409 older Grafana) returns the existing one. */
  async createFolder(folder: { uid: string; title: string; parentUid?: string }): Promise<{ folder: RemoteFolder; created: boolean }> {
    const res = await this.http.request("POST", "/api/folders", { body: folder, accept: [409, 412] });
    if (res.status === 409 || res.status === 412) {
      const existing = await this.getFolder(folder.uid);
      if (!existing) throw new GrafanaApiError("POST", "/api/folders", res.status, res.body, false);
      return { folder: existing, created: false };
    }
    return { folder: object(res.body, "POST /api/folders") as unknown as RemoteFolder, created: true };
  }

  async updateFolderTitle(uid: string, title: string, version: number | undefined): Promise<void> {
    await this.http.request("PUT", `/api/folders/${enc(uid)}`, { body: { title, version, overwrite: true } });
  }

  async getRuleGroup(folderUid: string, group: string): Promise<Record<string, unknown> | null> {
    const res = await this.http.request("GET", `/api/v1/provisioning/folder/${enc(folderUid)}/rule-groups/${enc(group)}`, { accept: [404] });
    if (res.status === 404) return null;
    return object(res.body, "GET rule group");
  }

  /** Replaces the whole group. X-Disable-Provenance keeps the rules editable in the UI; we never switch modes. */
  async putRuleGroup(folderUid: string, group: string, body: Record<string, unknown>): Promise<void> {
    await this.http.request("PUT", `/api/v1/provisioning/folder/${enc(folderUid)}/rule-groups/${enc(group)}`, {
      body,
      headers: { "X-Disable-Provenance": "true" },
    });
  }
}
