// fetch + retries + redaction. Every Grafana request goes through HttpClient.request, which
// retries 429, 5xx and transient network failures with exponential backoff and jitter, honours
// Retry-After, bounds each attempt, each whole operation and (withDeadline) the whole push in
// time, and never retries a 4xx or a failure that cannot heal (unknown host, TLS, bad header).
// The loop is our own rather than p-retry's: p-retry calls its failure hook (where "retry" is
// reported) even when it then decides not to retry, and checks its time limit only afterwards.

import { DeadlineError, GrafanaApiError, GrafanaNetworkError, RetriesExhaustedError, UsageError } from "./errors";
import { Redactor } from "./redact";

export type Auth =
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "basic"; readonly user: string; readonly password: string };

export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Limit for one operation including all its retries and waits. */
  readonly totalTimeMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 8, minDelayMs: 250, maxDelayMs: 10_000, totalTimeMs: 120_000 };

/** Node's timers hold at most 2^31-1 ms (~24.8 days); a larger value fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RetryEvent {
  readonly method: string;
  readonly path: string;
  readonly attempt: number;
  readonly reason: string;
}

export interface HttpOptions {
  readonly baseUrl: string;
  readonly auth: Auth;
  readonly orgId?: number;
  readonly allowInsecureHttp?: boolean;
  readonly requestTimeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly redactor?: Redactor;
  readonly onRetry?: (event: RetryEvent) => void;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Non-2xx statuses the caller handles itself (e.g. 404 on GET); they are returned, not thrown. */
  readonly accept?: readonly number[];
  /** Overrides for this request only (the health check fails fast). */
  readonly retry?: Partial<RetryPolicy>;
}

export interface HttpResponse {
  readonly status: number;
  /** Parsed JSON; undefined when the body is empty or not JSON (see `text`). */
  readonly body: unknown;
  readonly text: string;
  /** 1 when the first attempt answered; more when earlier attempts failed (e.g. a lost reply). */
  readonly attempts: number;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;

/** Parses GRAFANA_URL; refuses credentials in the URL and plain http to anything but loopback. */
export function checkBaseUrl(raw: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`GRAFANA_URL is not a valid URL`);
  }
  if (url.username || url.password) {
    throw new UsageError("GRAFANA_URL must not contain credentials; use GRAFANA_TOKEN (or GRAFANA_USER/GRAFANA_PASSWORD)");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UsageError(`GRAFANA_URL must be http(s), got ${url.protocol}`);
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname) && !allowInsecureHttp) {
    throw new UsageError(
      `refusing to send credentials over plain http to ${url.host}: use https, or pass --allow-insecure-http if the network path is trusted`,
    );
  }
  if (url.search || url.hash) throw new UsageError("GRAFANA_URL must not have a query or fragment");
  return url;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What went wrong without a response, and whether trying again could help. */
export function classifyNetworkError(error: unknown, url: URL): { detail: string; retryable: boolean } {
  if (!(error instanceof Error)) return { detail: String(error), retryable: true };
  // undici reports "fetch failed" and puts the useful part (ECONNRESET, "other side closed") in cause.
  const cause = (error as { cause?: unknown }).cause;
  if (!(cause instanceof Error)) {
    // fetch validates headers before connecting; the message quotes the value, so it is not repeated.
    if (/invalid header value/i.test(error.message))
      return { detail: "a request header is invalid (does a credential contain a line break or control character?)", retryable: false };
    return { detail: error.message, retryable: true };
  }
  const code = (cause as { code?: unknown }).code;
  if (cause.message === "bad port")
    return { detail: `port ${url.port} is blocked: fetch never connects to it (use Grafana's real port)`, retryable: false };
  if (code === "ENOTFOUND") return { detail: `ENOTFOUND: host ${url.hostname} not found (check GRAFANA_URL)`, retryable: false };
  if (typeof code === "string" && /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/.test(code))
    return { detail: `TLS error ${code} (${cause.message.split("\n")[0]}); check the https address and the server certificate`, retryable: false };
  return { detail: typeof code === "string" ? `${code} (${cause.message})` : cause.message, retryable: true };
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

function checkTimer(name: string, ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_TIMER_MS) throw new UsageError(`${name} must be between 1 ms and ${MAX_TIMER_MS} ms (Node's timer limit), got ${ms}`);
}

interface Deadline {
  readonly signal: AbortSignal;
  readonly ms: number;
}

export class HttpClient {
  readonly baseUrl: URL;
  readonly redactor: Redactor;
  private readonly headers: Record<string, string>;
  private readonly policy: RetryPolicy;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly options: HttpOptions,
    private readonly deadline?: Deadline,
  ) {
    this.baseUrl = checkBaseUrl(options.baseUrl, options.allowInsecureHttp ?? false);
    this.redactor = options.redactor ?? new Redactor();
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    checkTimer("the request timeout", this.requestTimeoutMs);
    checkTimer("the retry time", this.policy.totalTimeMs);
    checkTimer("the longest retry delay", this.policy.maxDelayMs);
    this.headers = { Accept: "application/json", "User-Agent": "254carbon-observability-push" };
    if (options.auth.kind === "token") {
      this.redactor.add(options.auth.token);
      this.headers.Authorization = `Bearer ${options.auth.token}`;
    } else {
      this.redactor.addBasicAuth(options.auth.user, options.auth.password);
      this.headers.Authorization = `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString("base64")}`;
    }
    if (options.orgId !== undefined) this.headers["X-Grafana-Org-Id"] = String(options.orgId);
  }

  /** The same client, with every request (and every wait between retries) ending `ms` from now. */
  withDeadline(ms: number): HttpClient {
    checkTimer("the deadline", ms);
    return new HttpClient({ ...this.options, redactor: this.redactor }, { signal: AbortSignal.timeout(ms), ms });
  }

  /** The organisation the requests act in (X-Grafana-Org-Id), when set. */
  get orgId(): number | undefined {
    return this.options.orgId;
  }

  get deadlineReached(): boolean {
    return this.deadline?.signal.aborted ?? false;
  }

  private url(path: string): string {
    // Keep any sub-path the base URL has (Grafana served under /grafana).
    return this.baseUrl.href.replace(/\/+$/, "") + path;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    // A per-request limit can shorten the operation, never lengthen it.
    const policy = { ...this.policy, ...options.retry, totalTimeMs: Math.min(this.policy.totalTimeMs, options.retry?.totalTimeMs ?? Infinity) };
    const started = Date.now();
    const window = AbortSignal.timeout(policy.totalTimeMs);
    const signal = this.deadline ? AbortSignal.any([window, this.deadline.signal]) : window;
    const stopped = (): Error | undefined =>
      this.deadline?.signal.aborted
        ? new DeadlineError(method, path, this.deadline.ms)
        : window.aborted
          ? new GrafanaNetworkError(method, path, `total time limit of ${policy.totalTimeMs / 1000}s exceeded`, false)
          : undefined;
    for (let attempt = 1; ; attempt++) {
      let failure: Error;
      try {
        return await this.once(method, path, options, signal, attempt, stopped);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
      }
      const retryable = (failure instanceof GrafanaApiError || failure instanceof GrafanaNetworkError) && failure.retryable;
      if (!retryable) throw this.redactor.redactError(failure);
      // Exponential backoff with jitter (spreads retries of concurrent requests), at least Retry-After.
      const backoff = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt - 1) * (1 + Math.random()));
      const retryAfter = failure instanceof GrafanaApiError ? failure.retryAfterMs : undefined;
      const wait = Math.max(backoff, retryAfter ?? 0);
      const left = policy.totalTimeMs - (Date.now() - started);
      let giveUp: string | undefined;
      if (attempt > policy.retries) giveUp = "retries exhausted";
      else if (retryAfter !== undefined && retryAfter >= left) giveUp = `Retry-After of ${retryAfter / 1000}s exceeds the time left`;
      else if (wait >= left) giveUp = "time limit reached";
      if (giveUp) throw this.redactor.redactError(new RetriesExhaustedError(failure, attempt, giveUp));
      this.options.onRetry?.({ method, path, attempt, reason: this.redactor.redact(failure.message) });
      try {
        await sleep(wait, signal);
      } catch {
        const end = stopped();
        throw this.redactor.redactError(end instanceof DeadlineError ? end : new RetriesExhaustedError(failure, attempt, "time limit reached while waiting to retry"));
      }
    }
  }

  /** One attempt: a response, or a GrafanaApiError / GrafanaNetworkError saying whether to retry. */
  private async once(method: string, path: string, options: RequestOptions, signal: AbortSignal, attempt: number, stopped: () => Error | undefined): Promise<HttpResponse> {
    const early = stopped();
    if (early) throw early;
    const headers: Record<string, string> = { ...this.headers, ...options.headers };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await fetch(this.url(path), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.any([AbortSignal.timeout(this.requestTimeoutMs), signal]),
        // A redirect could carry the Authorization header somewhere else; report it instead.
        redirect: "manual",
      });
      status = response.status;
      retryAfter = response.headers.get("retry-after");
      text = await response.text();
      if (status >= 300 && status < 400) {
        const where = this.redactor.snippet(response.headers.get("location") ?? "?");
        throw new GrafanaNetworkError(method, path, `unexpected redirect (${status}) to ${where}; set GRAFANA_URL to the final address`, false);
      }
    } catch (error) {
      if (error instanceof GrafanaNetworkError) throw error;
      const end = stopped();
      if (end) throw end;
      if (error instanceof Error && error.name === "TimeoutError") {
        throw new GrafanaNetworkError(method, path, `no response within ${this.requestTimeoutMs / 1000}s (request timeout)`);
      }
      const { detail, retryable } = classifyNetworkError(error, this.baseUrl);
      throw new GrafanaNetworkError(method, path, detail, retryable);
    }
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      // Proxies answer with HTML or plain text; callers check the shape and show `text`.
    }
    if ((status >= 200 && status < 300) || options.accept?.includes(status)) return { status, body, text, attempts: attempt };
    const retryable = status === 429 || status >= 500;
    throw new GrafanaApiError(method, path, status, body, retryable, parseRetryAfter(retryAfter), this.redactor.snippet(text));
  }
}
