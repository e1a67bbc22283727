// An in-process Grafana that follows /work/shared/reference/grafana-api.md closely enough to
// test the push client: real HTTP on 127.0.0.1, the documented status codes and error bodies,
// version bumps on every save, search and folder paging, folders and the provisioning rule-group
// API. Like Grafana versions that allow it, it accepts two folders with the same title.
// Faults are injected from a seeded PRNG (500, 429 + Retry-After, dropped sockets, hangs) or
// scripted per request (a proxy's login page, a 200 without the fields Grafana sends, a reply
// lost after the work was done, an echo of the credentials in a large error body).

import http from "node:http";
import type { AddressInfo } from "node:net";

export interface StoredDashboard {
  id: number;
  uid: string;
  version: number;
  folderUid: string;
  dashboard: Record<string, unknown>;
  /** One entry per save: Grafana adds a history row even for identical JSON. */
  history: { version: number; message: string }[];
  /** The resource API's metadata.resourceVersion: changes on every write through either API. */
  resourceVersion: number;
}

export interface StoredFolder {
  id: number;
  uid: string;
  title: string;
  parentUid?: string;
  version: number;
  resourceVersion: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number | "dropped" | "hung";
  at: number;
  authorization?: string;
  orgId?: string;
  /** The dashboard uid a POST /api/dashboards/db (or the object a POST to a /apis collection) was about: several share the path. */
  subject?: string;
}

/**
 * "login-page": a reverse proxy answers 200 with its HTML sign-in page, Grafana never sees the request.
 * "proxy-404": the proxy's own HTML 404 page (a wrong sub-path), not Grafana's JSON 404.
 * "empty-200": 200 with `{}`, nothing done. "drop-after": the work is done, the reply is lost.
 * "echo-secrets": 500 with a ~1 KB body that quotes the Authorization header and the credential
 * in raw, URL-encoded and base64 form (a badly behaved proxy's debug page).
 */
export type FaultKind = "500" | "503" | "429" | "drop" | "drop-after" | "login-page" | "proxy-404" | "empty-200" | "echo-secrets";

export interface Faults {
  /** Share of requests (0..1) that get a fault instead of (or, for lost responses, after) normal handling. */
  rate: number;
  seed?: number;
  kinds?: readonly FaultKind[];
  retryAfterSeconds?: number;
  /** Paths (prefix) never faulted. */
  spare?: readonly string[];
}

/** Grafana 12+'s resource API (/apis): served only when set, like a Grafana 11 without it otherwise. */
export interface ResourceApiOptions {
  /** Versions both groups serve, preferred first. Default ["v1beta1"] (Grafana 12). */
  versions?: readonly string[];
  /** Stale metadata.resourceVersion on update: 409 Conflict (Kubernetes) or 412 (folder.md's version-mismatch). */
  conflictStatus?: 409 | 412;
  /** Most items per list page, whatever limit the client asks for. Default 100. */
  pageCap?: number;
  /** What GET /bootdata reports as settings.namespace (Cloud: stacks-<id>). Default "default". */
  namespace?: string;
}

export interface DoubleOptions {
  resourceApi?: ResourceApiOptions;
  /** Accepted service account token; any other Bearer value gets 401 api-key.invalid. */
  token?: string;
  basic?: { user: string; password: string };
  /** Make the accepted token answer 401 with this messageId instead (expired/revoked). */
  tokenState?: "ok" | "api-key.expired" | "api-key.revoked";
  /** Permissions the service account has; default all. */
  permissions?: ReadonlySet<string>;
  /** 412 (current Grafana) or 409 (older) for a folder uid that exists. */
  folderConflictStatus?: 409 | 412;
  faults?: Faults;
  /** Never answer these requests (path prefix); for timeout tests. */
  hang?: (method: string, path: string) => boolean;
  /** Echo the Authorization header in 500 bodies (a badly behaved proxy), to test redaction. */
  echoAuthorizationOn500?: boolean;
  healthy?: boolean;
  /** Deterministic faults: called for every request, a kind to inject or undefined for normal handling. */
  script?: (method: string, path: string, nth: number) => FaultKind | undefined;
  /** A search that ignores its tag filter (a misbehaving proxy or older server). */
  searchIgnoresTags?: boolean;
  /** Runs after a request was answered: lets a test play a person editing Grafana in between. */
  afterResponse?: (entry: LoggedRequest, double: GrafanaDouble) => void;
}

export const ALL_PERMISSIONS = new Set([
  "dashboards:create",
  "dashboards:write",
  "dashboards:read",
  "dashboards:delete",
  "folders:create",
  "folders:read",
  "folders:write",
  "alert.provisioning:read",
  "alert.provisioning:write",
]);

const UID_RE = /^[a-zA-Z0-9\-_]*$/;
const FOLDER_ANNOTATION = "grafana.app/folder";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** limit (default 1000, capped) and page (from 1), as Grafana reads them. */
function paging(url: URL, cap: number): { limit: number; page: number } {
  const q = url.searchParams;
  return { limit: Math.min(Number(q.get("limit") ?? 1000) || 1000, cap), page: Math.max(Number(q.get("page") ?? 1) || 1, 1) };
}

/** ~1 KB of proxy debug output quoting the credentials every way they travel. */
function echoSecrets(authorization: string): string {
  const [, value = ""] = authorization.split(" ");
  const decoded = authorization.startsWith("Basic ") ? Buffer.from(value, "base64").toString("utf8") : value;
  const filler = "upstream connect error or disconnect/reset before headers. ".repeat(4);
  return [
    filler.slice(0, 290), // the secret straddles the 300th character, where a cut used to happen
    `Authorization: ${authorization}`,
    `token=${decoded}`,
    `url-encoded: ${encodeURIComponent(decoded)}`,
    // base64 of the credential at each byte alignment, inside longer base64 text
    ...["", "x", "xy"].map((p) => `b64: ${Buffer.from(`${p}${decoded}!?`).toString("base64")}`),
    filler,
  ].join("\n");
}

const slugify = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

export class GrafanaDouble {
  readonly dashboards = new Map<string, StoredDashboard>();
  readonly folders = new Map<string, StoredFolder>();
  readonly ruleGroups = new Map<string, Record<string, unknown>>();
  readonly log: LoggedRequest[] = [];
  options: DoubleOptions;
  private server?: http.Server;
  private nextId = 1;
  /** Last resourceVersion handed out; one counter for every object, as etcd-style storage has. */
  private resourceVersion = 0;
  private random: () => number;

  constructor(options: DoubleOptions = {}) {
    this.options = { token: "glsa_test_token_0123456789abcdef", folderConflictStatus: 412, tokenState: "ok", healthy: true, ...options };
    this.random = mulberry32(options.faults?.seed ?? 1);
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error("double not started");
    return `http://127.0.0.1:${address.port}`;
  }

  /** Requests that changed state and were answered (successful writes). */
  writes(): LoggedRequest[] {
    return this.log.filter((r) => r.method !== "GET" && (r.status === 200 || r.status === 201));
  }

  count(method: string, pathPrefix: string): number {
    return this.log.filter((r) => r.method === method && r.path.startsWith(pathPrefix) && r.status !== "dropped" && r.status !== "hung").length;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, res, Buffer.concat(chunks).toString("utf8")));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Seeds a dashboard as if someone created it in the UI. */
  seedDashboard(dashboard: Record<string, unknown>, folderUid = ""): StoredDashboard {
    const uid = String(dashboard.uid);
    const stored: StoredDashboard = { id: this.nextId++, uid, version: 1, folderUid, dashboard: structuredClone(dashboard), history: [{ version: 1, message: "seed" }], resourceVersion: ++this.resourceVersion };
    this.dashboards.set(uid, stored);
    return stored;
  }

  seedFolder(folder: { uid: string; title: string; parentUid?: string }): void {
    this.folders.set(folder.uid, { id: this.nextId++, version: 1, resourceVersion: ++this.resourceVersion, ...folder });
  }

  /** Someone else saves the dashboard (the UI, another pipeline): a new version and resourceVersion. */
  editDashboard(uid: string, change: Record<string, unknown> = { description: "edited by hand" }): void {
    const stored = this.dashboards.get(uid);
    if (!stored) throw new Error(`no dashboard ${uid}`);
    this.store(uid, { ...stored.dashboard, ...change }, stored.folderUid, "hand edit");
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): void {
    const url = new URL(req.url ?? "/", "http://double");
    const method = req.method ?? "GET";
    const entry: LoggedRequest = { method, path: url.pathname + url.search, status: 0, at: Date.now(), authorization: req.headers.authorization, orgId: req.headers["x-grafana-org-id"] as string | undefined };
    this.log.push(entry);
    const collectionPost = method === "POST" && /^\/apis\/.*\/(dashboards|folders)$/.test(url.pathname);
    if ((method === "POST" && url.pathname === "/api/dashboards/db") || collectionPost) {
      try {
        const parsed = JSON.parse(rawBody) as { dashboard?: { uid?: unknown }; metadata?: { name?: unknown } };
        entry.subject = String(collectionPost ? parsed.metadata?.name : parsed.dashboard?.uid);
      } catch {
        // bad JSON is answered with 400 below
      }
    }

    if (this.options.hang?.(method, url.pathname)) {
      entry.status = "hung";
      return; // never answer
    }

    const faults = this.options.faults;
    let dropAfter = false;
    let kind = this.options.script?.(method, url.pathname + url.search, this.log.length);
    if (!kind && faults && !faults.spare?.some((p) => url.pathname.startsWith(p)) && this.random() < faults.rate) {
      const kinds = faults.kinds ?? ["500", "429", "drop", "drop-after"];
      kind = kinds[Math.floor(this.random() * kinds.length)];
    }
    if (kind) {
      if (kind === "login-page") {
        entry.status = 200;
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end('<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action="/oauth2/start"><button>Sign in with SSO</button></form></body></html>\n');
        return;
      }
      if (kind === "proxy-404") {
        entry.status = 404;
        res.writeHead(404, { "Content-Type": "text/html" });
        res.end("<html><body><h1>404 Not Found</h1><hr>nginx</body></html>");
        return;
      }
      if (kind === "empty-200") return this.send(res, entry, 200, {});
      if (kind === "echo-secrets") return this.send(res, entry, 500, { message: echoSecrets(req.headers.authorization ?? "") });
      if (kind === "drop") {
        entry.status = "dropped";
        req.socket.destroy();
        return;
      }
      if (kind === "drop-after") dropAfter = true;
      else if (kind === "429") {
        entry.status = 429;
        res.setHeader("Retry-After", String(faults?.retryAfterSeconds ?? 1));
        return this.send(res, entry, 429, { message: "Too Many Requests" });
      } else {
        const status = Number(kind);
        return this.send(res, entry, status, this.options.echoAuthorizationOn500 ? { message: `upstream error for ${req.headers.authorization}` } : { message: "Internal Server Error", traceID: "" });
      }
    }

    // Grafana before 12 has no resource API: its web app answers unknown paths with its HTML page.
    if (!this.options.resourceApi && (url.pathname === "/apis" || url.pathname.startsWith("/apis/") || url.pathname === "/bootdata")) {
      entry.status = 200;
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end('<!DOCTYPE html>\n<html lang="en"><head><title>Grafana</title></head><body><div id="reactRoot"></div></body></html>\n');
      return;
    }

    let result: { status: number; body: unknown };
    try {
      result = this.route(method, url, req.headers, rawBody);
    } catch (error) {
      result = { status: 500, body: { message: "Internal Server Error", traceID: "" } };
      console.error(error);
    }
    if (dropAfter) {
      // The request was processed but the response is lost: the client cannot tell whether it happened.
      entry.status = "dropped";
      req.socket.destroy();
      return;
    }
    this.send(res, entry, result.status, result.body);
  }

  private send(res: http.ServerResponse, entry: LoggedRequest, status: number, body: unknown): void {
    entry.status = status;
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(text);
    this.options.afterResponse?.(entry, this);
  }

  private authorize(headers: http.IncomingHttpHeaders): { status: number; body: unknown } | undefined {
    const auth = headers.authorization;
    if (!auth) return { status: 401, body: { message: "Unauthorized" } };
    const [scheme, value = ""] = auth.split(" ");
    if (scheme === "Bearer") {
      if (value !== this.options.token) return { status: 401, body: { messageId: "api-key.invalid", message: "Invalid API key", statusCode: 401, traceID: "" } };
      if (this.options.tokenState && this.options.tokenState !== "ok") {
        return { status: 401, body: { messageId: this.options.tokenState, message: this.options.tokenState === "api-key.expired" ? "Expired API key" : "Revoked token", statusCode: 401, traceID: "" } };
      }
      return undefined;
    }
    if (scheme === "Basic" && this.options.basic) {
      const [user, password] = Buffer.from(value, "base64").toString("utf8").split(":");
      if (user === this.options.basic.user && password === this.options.basic.password) return undefined;
    }
    return { status: 401, body: { message: "Unauthorized" } };
  }

  private need(permission: string): { status: number; body: unknown } | undefined {
    const granted = this.options.permissions ?? ALL_PERMISSIONS;
    if (granted.has(permission)) return undefined;
    return {
      status: 403,
      body: {
        title: "Access denied",
        message: `You'll need additional permissions to perform this action. Permissions needed: ${permission}`,
        accessErrorId: "ACE0123456789",
      },
    };
  }

  private route(method: string, url: URL, headers: http.IncomingHttpHeaders, rawBody: string): { status: number; body: unknown } {
    const path = url.pathname;
    if (method === "GET" && path === "/api/health") {
      return this.options.healthy
        ? { status: 200, body: { commit: "abc1234", database: "ok", version: "12.1.0" } }
        : { status: 503, body: { commit: "abc1234", database: "failing", version: "12.1.0" } };
    }
    const denied = this.authorize(headers);
    if (denied) return denied;

    let body: Record<string, unknown> = {};
    if (rawBody) {
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        return { status: 400, body: { message: "bad request data" } };
      }
    }

    if (path === "/apis" || path.startsWith("/apis/") || path === "/bootdata") {
      if (path === "/apis" && method === "GET") return { status: 200, body: this.apiGroupList() };
      if (path === "/bootdata" && method === "GET") return { status: 200, body: { settings: { namespace: this.namespace, appSubUrl: "" }, user: { orgId: 1 } } };
      return this.resources(method, url, body);
    }

    let m: RegExpExecArray | null;
    if ((m = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(path))) {
      const uid = decodeURIComponent(m[1]!);
      const stored = this.dashboards.get(uid);
      if (method === "GET") {
        const no = this.need("dashboards:read");
        if (no) return no;
        if (!stored) return { status: 404, body: { message: "Dashboard not found" } };
        const folder = this.folders.get(stored.folderUid);
        return {
          status: 200,
          body: {
            dashboard: { ...structuredClone(stored.dashboard), id: stored.id, uid: stored.uid, version: stored.version },
            meta: { version: stored.version, folderUid: stored.folderUid, folderTitle: folder?.title ?? "General", provisioned: false, url: `/d/${uid}/${slugify(String(stored.dashboard.title))}`, slug: slugify(String(stored.dashboard.title)) },
          },
        };
      }
      if (method === "DELETE") {
        const no = this.need("dashboards:delete");
        if (no) return no;
        if (!stored) return { status: 404, body: { message: "Dashboard not found" } };
        this.dashboards.delete(uid);
        const title = String(stored.dashboard.title);
        return { status: 200, body: { title, message: `Dashboard ${title} deleted`, uid } };
      }
    }
    if (method === "POST" && path === "/api/dashboards/db") return this.saveDashboard(body);
    if (method === "GET" && path === "/api/search") return this.search(url);
    if (path === "/api/folders" && method === "POST") return this.createFolder(body);
    if (path === "/api/folders" && method === "GET") {
      const no = this.need("folders:read");
      if (no) return no;
      const parentUid = url.searchParams.get("parentUid") ?? undefined;
      const { limit, page } = paging(url, 1000);
      const all = [...this.folders.values()].filter((f) => f.parentUid === parentUid).map(({ id, uid, title, parentUid: p }) => ({ id, uid, title, ...(p ? { parentUid: p } : {}) }));
      return { status: 200, body: all.slice((page - 1) * limit, page * limit) };
    }
    if ((m = /^\/api\/folders\/([^/]+)$/.exec(path))) {
      const uid = decodeURIComponent(m[1]!);
      const folder = this.folders.get(uid);
      if (method === "GET") {
        const no = this.need("folders:read");
        if (no) return no;
        return folder ? { status: 200, body: { ...folder } } : { status: 404, body: { status: "not-found", message: "folder not found" } };
      }
      if (method === "PUT") {
        const no = this.need("folders:write");
        if (no) return no;
        if (!folder) return { status: 404, body: { status: "not-found", message: "folder not found" } };
        if (!body.overwrite && body.version !== folder.version) return { status: 412, body: { status: "version-mismatch", message: "The folder has been changed by someone else" } };
        if (typeof body.title !== "string" || body.title === "") return { status: 400, body: { message: "folder title cannot be empty" } };
        folder.title = body.title;
        folder.version++;
        folder.resourceVersion = ++this.resourceVersion;
        return { status: 200, body: { ...folder } };
      }
    }
    if ((m = /^\/api\/v1\/provisioning\/folder\/([^/]+)\/rule-groups\/([^/]+)$/.exec(path))) {
      return this.ruleGroup(method, decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), body, headers);
    }
    return { status: 404, body: { message: "Not Found" } };
  }

  /** One save through either API: a new version (even for identical JSON), history row and resourceVersion. */
  private store(uid: string, model: Record<string, unknown>, folderUid: string, message: string): StoredDashboard {
    const existing = this.dashboards.get(uid);
    if (existing) {
      existing.version += 1;
      existing.dashboard = model;
      existing.folderUid = folderUid;
      existing.history.push({ version: existing.version, message });
      existing.resourceVersion = ++this.resourceVersion;
      return existing;
    }
    const stored: StoredDashboard = { id: this.nextId++, uid, version: 1, folderUid, dashboard: model, history: [{ version: 1, message }], resourceVersion: ++this.resourceVersion };
    this.dashboards.set(uid, stored);
    return stored;
  }

  private saveDashboard(body: Record<string, unknown>): { status: number; body: unknown } {
    const dashboard = body.dashboard as Record<string, unknown> | undefined;
    if (!dashboard || typeof dashboard !== "object") return { status: 400, body: { message: "bad request data" } };
    // Validation order from grafana-api.md.
    const title = typeof dashboard.title === "string" ? dashboard.title.trim() : "";
    if (!title) return { status: 400, body: { status: "empty-name", message: "Dashboard title cannot be empty" } };
    if (title.length > 5000) return { status: 400, body: { message: "Dashboard title cannot be longer than 5000 characters" } };
    const uid = typeof dashboard.uid === "string" ? dashboard.uid : "";
    if (!UID_RE.test(uid)) return { status: 400, body: { message: "uid contains illegal characters" } };
    if (uid.length > 40) return { status: 400, body: { message: "uid too long, max 40 characters" } };
    const folderUid = typeof body.folderUid === "string" ? body.folderUid : "";
    if (folderUid !== "" && !this.folders.has(folderUid)) return { status: 400, body: { message: "folder not found" } };
    const existing = uid ? this.dashboards.get(uid) : undefined;
    const no = this.need(existing ? "dashboards:write" : "dashboards:create");
    if (no) return no;
    if (existing && !body.overwrite && dashboard.version !== existing.version) {
      return { status: 412, body: { status: "version-mismatch", message: "The dashboard has been changed by someone else" } };
    }
    const model = structuredClone(dashboard);
    delete model.id;
    delete model.version;
    const message = typeof body.message === "string" ? body.message : "";
    const newUid = uid || `gen${this.nextId}`;
    const stored = this.store(newUid, { ...model, uid: newUid }, folderUid, message);
    const slug = slugify(title);
    return { status: 200, body: { status: "success", id: stored.id, uid: stored.uid, url: `/d/${stored.uid}/${slug}`, version: stored.version, slug, folderUid } };
  }

  private search(url: URL): { status: number; body: unknown } {
    const q = url.searchParams;
    const { limit, page } = paging(url, 5000);
    const tags = this.options.searchIgnoresTags ? [] : q.getAll("tag");
    const folderUIDs = q.getAll("folderUIDs");
    const hits = [...this.dashboards.values()]
      .filter((d) => {
        const dTags = Array.isArray(d.dashboard.tags) ? (d.dashboard.tags as string[]) : [];
        return tags.every((t) => dTags.includes(t)) && (folderUIDs.length === 0 || folderUIDs.includes(d.folderUid));
      })
      .sort((a, b) => String(a.dashboard.title).localeCompare(String(b.dashboard.title)) || a.uid.localeCompare(b.uid))
      .map((d) => ({
        id: d.id,
        uid: d.uid,
        title: d.dashboard.title,
        url: `/d/${d.uid}/${slugify(String(d.dashboard.title))}`,
        type: "dash-db",
        tags: Array.isArray(d.dashboard.tags) ? d.dashboard.tags : [],
        folderUid: d.folderUid || undefined,
      }));
    return { status: 200, body: hits.slice((page - 1) * limit, page * limit) };
  }

  private createFolder(body: Record<string, unknown>): { status: number; body: unknown } {
    const no = this.need("folders:create");
    if (no) return no;
    const title = typeof body.title === "string" ? body.title : "";
    if (!title) return { status: 400, body: { message: "folder title cannot be empty" } };
    const uid = typeof body.uid === "string" && body.uid ? body.uid : `f${this.nextId}`;
    if (!UID_RE.test(uid) || uid.length > 40) return { status: 400, body: { message: "uid contains illegal characters" } };
    if (this.folders.has(uid)) {
      return this.options.folderConflictStatus === 409
        ? { status: 409, body: { message: "a folder with the same uid already exists" } }
        : { status: 412, body: { status: "version-mismatch", message: "The folder has been changed by someone else" } };
    }
    const parentUid = typeof body.parentUid === "string" ? body.parentUid : undefined;
    if (parentUid && !this.folders.has(parentUid)) return { status: 400, body: { message: "parent folder not found" } };
    const folder: StoredFolder = { id: this.nextId++, uid, title, version: 1, resourceVersion: ++this.resourceVersion, ...(parentUid ? { parentUid } : {}) };
    this.folders.set(uid, folder);
    return { status: 200, body: { ...folder } };
  }

  private ruleGroup(method: string, folderUid: string, group: string, body: Record<string, unknown>, headers: http.IncomingHttpHeaders): { status: number; body: unknown } {
    const key = `${folderUid}/${group}`;
    if (method === "GET") {
      const no = this.need("alert.provisioning:read");
      if (no) return no;
      const stored = this.ruleGroups.get(key);
      return stored ? { status: 200, body: structuredClone(stored) } : { status: 404, body: { message: "rule group does not exist" } };
    }
    if (method !== "PUT") return { status: 404, body: { message: "Not Found" } };
    const no = this.need("alert.provisioning:write");
    if (no) return no;
    if (!this.folders.has(folderUid)) return { status: 400, body: { message: "folder does not exist" } };
    const interval = body.interval;
    if (typeof interval !== "number" || interval <= 0 || interval % 10 !== 0) return { status: 400, body: { message: "invalid interval: must be > 0 and a multiple of 10s" } };
    const rules = Array.isArray(body.rules) ? (body.rules as Record<string, unknown>[]) : [];
    const provenance = headers["x-disable-provenance"] !== undefined ? "" : "api";
    const previous = this.ruleGroups.get(key);
    for (const rule of rules) {
      const uid = String(rule.uid ?? "");
      if (!uid || uid.length > 40 || !UID_RE.test(uid)) return { status: 400, body: { message: `invalid rule uid ${uid}` } };
      const title = String(rule.title ?? "");
      if (title.length < 1 || title.length > 190) return { status: 400, body: { message: "invalid rule title" } };
      const data = Array.isArray(rule.data) ? (rule.data as { refId?: string }[]) : [];
      if (!data.some((d) => d.refId === rule.condition)) return { status: 400, body: { message: `condition ${String(rule.condition)} is not a refId of the rule's data` } };
      if (!["Alerting", "NoData", "OK", "KeepLast"].includes(String(rule.noDataState))) return { status: 400, body: { message: "invalid noDataState" } };
      if (!["Alerting", "Error", "OK", "KeepLast"].includes(String(rule.execErrState))) return { status: 400, body: { message: "invalid execErrState" } };
    }
    if (previous && (previous.rules as { provenance: string }[]).some((r) => r.provenance !== provenance)) {
      return { status: 400, body: { message: "cannot change provenance" } };
    }
    const stored = {
      title: group,
      folderUid,
      interval,
      rules: rules.map((r, i) => ({ id: i + 1, orgID: 1, ...r, folderUID: folderUid, ruleGroup: group, updated: new Date().toISOString(), provenance })),
    };
    this.ruleGroups.set(key, stored);
    return { status: 200, body: stored };
  }

  // ---- Grafana 12+ resource API (grafana-resources.md §1), over the same stores as /api ----

  private k8sStatus(code: number, reason: string, message: string): { status: number; body: unknown } {
    return { status: code, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code } };
  }

  private apiGroupList(): unknown {
    const versions = this.options.resourceApi?.versions ?? ["v1beta1"];
    const group = (name: string) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    });
    // Another group first, as a real server lists many: discovery must look groups up by name.
    return { kind: "APIGroupList", apiVersion: "v1", groups: [group("iam.grafana.app"), group("dashboard.grafana.app"), group("folder.grafana.app")] };
  }

  private dashboardObject(d: StoredDashboard, version: string): Record<string, unknown> {
    // The spec leaves uid, id and version to metadata, as Git Sync and the API do.
    const { uid: _uid, id: _id, version: _version, ...spec } = structuredClone(d.dashboard);
    return {
      apiVersion: `dashboard.grafana.app/${version}`,
      kind: "Dashboard",
      metadata: {
        name: d.uid,
        namespace: this.namespace,
        uid: `k8s-${d.id}`,
        resourceVersion: String(d.resourceVersion),
        generation: d.version,
        annotations: { ...(d.folderUid ? { [FOLDER_ANNOTATION]: d.folderUid } : {}), "grafana.app/updatedBy": "service-account:1" },
      },
      spec,
    };
  }

  private folderObject(f: StoredFolder, version: string): Record<string, unknown> {
    return {
      apiVersion: `folder.grafana.app/${version}`,
      kind: "Folder",
      metadata: { name: f.uid, namespace: this.namespace, uid: `k8s-${f.id}`, resourceVersion: String(f.resourceVersion), generation: f.version, annotations: f.parentUid ? { [FOLDER_ANNOTATION]: f.parentUid } : {} },
      spec: { title: f.title },
    };
  }

  private get namespace(): string {
    return this.options.resourceApi?.namespace ?? "default";
  }

  /** One page of `items`; the continue token is opaque to clients, and the page size capped whatever they ask. */
  private page(url: URL, items: unknown[], kind: string): { status: number; body: unknown } {
    const cap = this.options.resourceApi?.pageCap ?? 100;
    const limit = Math.min(Number(url.searchParams.get("limit")) || cap, cap);
    const token = url.searchParams.get("continue");
    const offset = token ? Number(/^o:(\d+)$/.exec(Buffer.from(token, "base64").toString("utf8"))?.[1] ?? NaN) : 0;
    if (!Number.isInteger(offset)) return this.k8sStatus(410, "Expired", "The provided continue parameter is too old or malformed");
    const next = offset + limit < items.length ? Buffer.from(`o:${offset + limit}`).toString("base64") : undefined;
    // labelSelector is deliberately ignored: custom labels are not reliable on dashboards.
    return { status: 200, body: { kind, apiVersion: "v1", metadata: { resourceVersion: String(this.resourceVersion), ...(next ? { continue: next } : {}) }, items: items.slice(offset, offset + limit) } };
  }

  /** The written object's metadata and spec, or why the server refuses it. */
  private parseObject(body: Record<string, unknown>, name: string | undefined, kind: string): { error: { status: number; body: unknown } } | { name: string; resourceVersion?: string; annotations: Record<string, string>; spec: Record<string, unknown> } {
    const metadata = body.metadata as Record<string, unknown> | undefined;
    const spec = body.spec as Record<string, unknown> | undefined;
    if (body.kind !== kind || !metadata || typeof metadata !== "object" || !spec || typeof spec !== "object") return { error: this.k8sStatus(400, "BadRequest", `the body is not a ${kind}`) };
    const objectName = typeof metadata.name === "string" ? metadata.name : "";
    if (!/^[a-zA-Z0-9:\-_.]{1,253}$/.test(objectName) || ["search", "trash", "history", "query"].includes(objectName)) {
      return { error: this.k8sStatus(422, "Invalid", `${kind} "${objectName}" is invalid: metadata.name: Invalid value`) };
    }
    if (name !== undefined && objectName !== name) return { error: this.k8sStatus(400, "BadRequest", `the name of the object (${objectName}) does not match the name on the URL (${name})`) };
    const annotations = metadata.annotations && typeof metadata.annotations === "object" ? (metadata.annotations as Record<string, string>) : {};
    const folder = annotations[FOLDER_ANNOTATION];
    if (folder !== undefined && !this.folders.has(folder)) return { error: this.k8sStatus(400, "BadRequest", `folder "${folder}" not found`) };
    return { name: objectName, ...(typeof metadata.resourceVersion === "string" ? { resourceVersion: metadata.resourceVersion } : {}), annotations, spec };
  }

  /** An update must name the version it read; a stale one is a conflict (409, or 412 when configured). */
  private precondition(kind: string, name: string, sent: string | undefined, current: number): { status: number; body: unknown } | undefined {
    if (sent === undefined) return this.k8sStatus(422, "Invalid", `${kind} "${name}" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update`);
    if (sent === String(current)) return undefined;
    const message = `Operation cannot be fulfilled on ${kind.toLowerCase()}s "${name}": the object has been modified; please apply your changes to the latest version and try again`;
    return this.options.resourceApi?.conflictStatus === 412 ? { status: 412, body: { status: "version-mismatch", message } } : this.k8sStatus(409, "Conflict", message);
  }

  private resources(method: string, url: URL, body: Record<string, unknown>): { status: number; body: unknown } {
    const m = /^\/apis\/(dashboard|folder)\.grafana\.app\/([^/]+)\/namespaces\/([^/]+)\/(dashboards|folders)(?:\/([^/]+))?$/.exec(url.pathname);
    const versions = this.options.resourceApi?.versions ?? ["v1beta1"];
    if (!m || !versions.includes(m[2]!) || (m[1] === "dashboard") !== (m[4] === "dashboards")) return this.k8sStatus(404, "NotFound", "the server could not find the requested resource");
    const [, , version, namespace, resource, rawName] = m as unknown as [string, string, string, string, string, string | undefined];
    if (namespace !== this.namespace) return this.k8sStatus(403, "Forbidden", `namespace "${namespace}" is not this organisation's`);
    const name = rawName === undefined ? undefined : decodeURIComponent(rawName);
    return resource === "dashboards" ? this.dashboardResource(method, url, body, version, name) : this.folderResource(method, url, body, version, name);
  }

  private dashboardResource(method: string, url: URL, body: Record<string, unknown>, version: string, name: string | undefined): { status: number; body: unknown } {
    const notFound = () => this.k8sStatus(404, "NotFound", `dashboards.dashboard.grafana.app "${name}" not found`);
    if (method === "GET") {
      const no = this.need("dashboards:read");
      if (no) return no;
      if (name === undefined) {
        const all = [...this.dashboards.values()].sort((a, b) => (a.uid < b.uid ? -1 : 1)).map((d) => this.dashboardObject(d, version));
        return this.page(url, all, "DashboardList");
      }
      const stored = this.dashboards.get(name);
      return stored ? { status: 200, body: this.dashboardObject(stored, version) } : notFound();
    }
    if (method === "DELETE" && name !== undefined) {
      const no = this.need("dashboards:delete");
      if (no) return no;
      if (!this.dashboards.delete(name)) return notFound();
      return { status: 200, body: { kind: "Status", apiVersion: "v1", status: "Success", details: { name, group: "dashboard.grafana.app", kind: "dashboards" } } };
    }
    if ((method === "POST" && name === undefined) || (method === "PUT" && name !== undefined)) {
      const parsed = this.parseObject(body, name, "Dashboard");
      if ("error" in parsed) return parsed.error;
      const existing = this.dashboards.get(parsed.name);
      const no = this.need(existing ? "dashboards:write" : "dashboards:create");
      if (no) return no;
      if (method === "POST" && existing) return this.k8sStatus(409, "AlreadyExists", `dashboards.dashboard.grafana.app "${parsed.name}" already exists`);
      if (method === "PUT") {
        if (!existing) return notFound();
        const failed = this.precondition("Dashboard", parsed.name, parsed.resourceVersion, existing.resourceVersion);
        if (failed) return failed;
      }
      const title = typeof parsed.spec.title === "string" ? parsed.spec.title.trim() : "";
      if (!title) return this.k8sStatus(422, "Invalid", `Dashboard "${parsed.name}" is invalid: spec.title: Required value`);
      const { id: _id, version: _version, ...model } = structuredClone(parsed.spec);
      const stored = this.store(parsed.name, { ...model, uid: parsed.name }, parsed.annotations[FOLDER_ANNOTATION] ?? "", parsed.annotations["grafana.app/message"] ?? "");
      return { status: method === "POST" ? 201 : 200, body: this.dashboardObject(stored, version) };
    }
    return this.k8sStatus(405, "MethodNotAllowed", `${method} is not allowed here`);
  }

  private folderResource(method: string, url: URL, body: Record<string, unknown>, version: string, name: string | undefined): { status: number; body: unknown } {
    const notFound = () => this.k8sStatus(404, "NotFound", `folders.folder.grafana.app "${name}" not found`);
    if (method === "GET") {
      const no = this.need("folders:read");
      if (no) return no;
      if (name === undefined) {
        const all = [...this.folders.values()].sort((a, b) => (a.uid < b.uid ? -1 : 1)).map((f) => this.folderObject(f, version));
        return this.page(url, all, "FolderList");
      }
      const folder = this.folders.get(name);
      return folder ? { status: 200, body: this.folderObject(folder, version) } : notFound();
    }
    if ((method === "POST" && name === undefined) || (method === "PUT" && name !== undefined)) {
      const parsed = this.parseObject(body, name, "Folder");
      if ("error" in parsed) return parsed.error;
      const existing = this.folders.get(parsed.name);
      const no = this.need(existing ? "folders:write" : "folders:create");
      if (no) return no;
      const title = typeof parsed.spec.title === "string" ? parsed.spec.title : "";
      if (!title) return this.k8sStatus(422, "Invalid", `Folder "${parsed.name}" is invalid: spec.title: Required value`);
      if (method === "POST") {
        if (existing) return this.k8sStatus(409, "AlreadyExists", `folders.folder.grafana.app "${parsed.name}" already exists`);
        const parentUid = parsed.annotations[FOLDER_ANNOTATION];
        const folder: StoredFolder = { id: this.nextId++, uid: parsed.name, title, version: 1, resourceVersion: ++this.resourceVersion, ...(parentUid ? { parentUid } : {}) };
        this.folders.set(folder.uid, folder);
        return { status: 201, body: this.folderObject(folder, version) };
      }
      if (!existing) return notFound();
      const failed = this.precondition("Folder", parsed.name, parsed.resourceVersion, existing.resourceVersion);
      if (failed) return failed;
      existing.title = title;
      existing.version++;
      existing.resourceVersion = ++this.resourceVersion;
      return { status: 200, body: this.folderObject(existing, version) };
    }
    return this.k8sStatus(405, "MethodNotAllowed", `${method} is not allowed here`);
  }
}
