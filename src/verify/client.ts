// The Prometheus HTTP API as verify needs it: queries and a few read endpoints, through one
// keep-alive connection pool (undici) with the caller's auth, headers and TLS settings. Works
// against Prometheus, Thanos Query and Mimir (whose API lives under a base path such as
// /prometheus). Every message it builds goes through the Redactor.

import { rootCertificates } from "node:tls";
import { Agent, request } from "undici";
import { Redactor } from "../grafana/redact";

export type PrometheusAuth =
  | { readonly kind: "none" }
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "basic"; readonly user: string; readonly password: string };

export interface TlsFiles {
  /** PEM contents, not paths: the CLI reads the files. */
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

export interface ClientOptions {
  readonly url: string;
  readonly auth: PrometheusAuth;
  /** Extra headers, e.g. X-Scope-OrgID for Mimir. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly tls?: TlsFiles;
  readonly timeoutMs?: number;
  /** Connections kept open to the server; requests beyond wait for one. */
  readonly connections?: number;
  readonly allowInsecureHttp?: boolean;
  readonly redactor?: Redactor;
}

/** Bad URL or options: the run cannot start (exit 2). */
export class UsageError extends Error {}

/** The server cannot be reached or refuses us (network, TLS, 401/403, not Prometheus): exit 2. */
export class ConnectionError extends Error {}

/** One request failed: Prometheus answered an error, or it timed out. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** 429/5xx: the server was busy, worth another try. */
    readonly retryable = false,
  ) {
    super(message);
  }
}

export interface Sample {
  readonly metric: Readonly<Record<string, string>>;
}

export interface QueryResult {
  readonly resultType: string;
  /** Series of a vector or matrix; one label-less entry for a scalar or string. */
  readonly series: readonly Sample[];
  /** First value of each series (instant queries), for counts. */
  readonly values: readonly number[];
}

/** Retries after the first attempt, for 429 and 5xx answers. */
const RETRIES = 2;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/** Header names whose values are credentials and must never be printed. */
const SECRET_HEADER = /auth|token|key|secret|cookie|password/i;

export function parseUrl(raw: string, auth: PrometheusAuth, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`the Prometheus URL is not a valid URL (expected e.g. http://localhost:9090 or https://mimir.example/prometheus)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`the Prometheus URL must be http(s), got ${url.protocol}`);
  if (url.username || url.password) throw new UsageError("the Prometheus URL must not contain credentials: use PROMETHEUS_TOKEN or PROMETHEUS_USER/PROMETHEUS_PASSWORD");
  if (url.search || url.hash) throw new UsageError("the Prometheus URL must not have a query or fragment");
  if (url.protocol === "http:" && auth.kind !== "none" && !LOOPBACK.test(url.hostname) && !allowInsecureHttp)
    throw new UsageError(`refusing to send credentials over plain http to ${url.host}: use https, or --allow-insecure-http if the network path is trusted`);
  return url;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function networkDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${code}: ${error.message}` : error.message;
}

export class PrometheusClient {
  readonly url: URL;
  readonly redactor: Redactor;
  private readonly agent: Agent;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  /** Requests sent, for the benchmark and the summary. */
  requests = 0;

  constructor(options: ClientOptions) {
    this.redactor = options.redactor ?? new Redactor();
    this.url = parseUrl(options.url, options.auth, options.allowInsecureHttp ?? false);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.headers = { accept: "application/json", "user-agent": "254carbon-observability-verify" };
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new UsageError(`header ${name.replace(/[\r\n]/g, " ")}: line breaks are not allowed`);
      if (SECRET_HEADER.test(name)) this.redactor.add(value);
      this.headers[name.toLowerCase()] = value;
    }
    if (options.auth.kind === "token") {
      this.redactor.add(options.auth.token);
      this.headers.authorization = `Bearer ${options.auth.token}`;
    } else if (options.auth.kind === "basic") {
      this.redactor.addBasicAuth(options.auth.user, options.auth.password);
      this.headers.authorization = `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString("base64")}`;
    }
    this.agent = new Agent({
      connections: options.connections ?? 8,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      // A given CA is trusted beside the system's, not instead of them.
      connect: { ca: options.tls?.ca ? [...rootCertificates, options.tls.ca] : undefined, cert: options.tls?.cert, key: options.tls?.key, rejectUnauthorized: true },
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** The API path under the base URL (Mimir: https://host/prometheus + /api/v1/query). */
  private endpoint(path: string, params?: URLSearchParams): string {
    const base = this.url.href.replace(/\/+$/, "");
    return `${base}${path}${params ? `?${params}` : ""}`;
  }

  /** GET or POST (form) an API path; returns `data` of a `status: success` answer. */
  async api(path: string, params: URLSearchParams, method: "GET" | "POST" = "GET"): Promise<unknown> {
    // Busy Thanos/Mimir frontends shed load with 429/5xx: a short, bounded retry.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(path, params, method);
      } catch (e) {
        if (!(e instanceof QueryError && e.retryable) || attempt === RETRIES + 1) throw e;
        await new Promise((r) => setTimeout(r, 250 * 2 ** (attempt - 1)));
      }
    }
  }

  private async once(path: string, params: URLSearchParams, method: "GET" | "POST"): Promise<unknown> {
    this.requests++;
    const options = {
      method,
      headers: method === "POST" ? { ...this.headers, "content-type": "application/x-www-form-urlencoded" } : this.headers,
      body: method === "POST" ? params.toString() : undefined,
      dispatcher: this.agent,
      signal: AbortSignal.timeout(this.timeoutMs),
    };
    let status: number;
    let text: string;
    try {
      const response = await request(method === "POST" ? this.endpoint(path) : this.endpoint(path, params), options);
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      if (error instanceof Error && /timeout|abort/i.test(error.name))
        throw new QueryError(this.redactor.redact(`${path}: no answer within ${this.timeoutMs / 1000}s`));
      throw new ConnectionError(this.redactor.redact(`cannot reach ${this.url.origin}${path}: ${networkDetail(error)}`));
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status === 401 || status === 403)
      throw new ConnectionError(this.redactor.redact(`${path}: ${status === 401 ? "authentication required or rejected (401)" : "permission denied (403)"}: check PROMETHEUS_TOKEN / PROMETHEUS_USER and --header`));
    if (status >= 300 && status < 400)
      throw new ConnectionError(`${path}: redirected (${status}); use the final address as the Prometheus URL`);
    const retryable = status === 429 || status >= 500;
    if (!isRecord(body) || (body.status !== "success" && body.status !== "error")) {
      const snippet = text.replace(/\s+/g, " ").slice(0, 120);
      const message = this.redactor.redact(`${path}: HTTP ${status}, not a Prometheus API answer: ${snippet}`);
      // A 404 is an endpoint this server lacks; a 2xx/4xx page (a login form) means the URL is wrong.
      throw status === 404 || retryable ? new QueryError(message, status, retryable) : new ConnectionError(message);
    }
    if (body.status === "error") throw new QueryError(this.redactor.redact(`${String(body.errorType ?? "error")}: ${String(body.error ?? `HTTP ${status}`)}`), status, retryable);
    return body.data;
  }

  private async run(path: string, params: URLSearchParams): Promise<QueryResult> {
    const data = await this.api(path, params, "POST");
    if (!isRecord(data) || typeof data.resultType !== "string") throw new QueryError(`${path}: answer without resultType`);
    const raw = Array.isArray(data.result) ? data.result : [];
    if (data.resultType === "scalar" || data.resultType === "string") return { resultType: data.resultType, series: [{ metric: {} }], values: [Number(raw[1])] };
    const series: Sample[] = [];
    const values: number[] = [];
    for (const item of raw) {
      if (!isRecord(item)) continue;
      const metric: Record<string, string> = {};
      if (isRecord(item.metric)) for (const [k, v] of Object.entries(item.metric)) if (typeof v === "string") metric[k] = v;
      series.push({ metric });
      const value = Array.isArray(item.value) ? item.value[1] : Array.isArray(item.values) && Array.isArray(item.values[0]) ? item.values[0][1] : undefined;
      values.push(Number(value));
    }
    return { resultType: data.resultType, series, values };
  }

  /** Instant query at `time` (unix seconds). */
  query(query: string, time: number): Promise<QueryResult> {
    return this.run("/api/v1/query", new URLSearchParams({ query, time: String(time) }));
  }

  /** Range query from `start` to `end` every `step` seconds. */
  queryRange(query: string, start: number, end: number, step: number): Promise<QueryResult> {
    return this.run("/api/v1/query_range", new URLSearchParams({ query, start: String(start), end: String(end), step: String(step) }));
  }

  /** Label names on the series `match` selects within the window. */
  async labelNames(match: string, start: number, end: number): Promise<string[]> {
    const data = await this.api("/api/v1/labels", new URLSearchParams({ "match[]": match, start: String(start), end: String(end) }));
    return Array.isArray(data) ? data.filter((v): v is string => typeof v === "string") : [];
  }

  /** Values `label` takes on the series `match` selects within the window. */
  async labelValues(label: string, match: string, start: number, end: number): Promise<string[]> {
    const data = await this.api(`/api/v1/label/${encodeURIComponent(label)}/values`, new URLSearchParams({ "match[]": match, start: String(start), end: String(end) }));
    return Array.isArray(data) ? data.filter((v): v is string => typeof v === "string") : [];
  }
}
