// fetch + retries + redaction. Every Grafana request goes through HttpClient.request, which
// retries 429, 5xx and network failures with exponential backoff and jitter (p-retry), honours
// Retry-After, bounds each attempt and each whole operation in time, and never retries 4xx.

import pRetry, { AbortError } from "p-retry";
import { GrafanaApiError, GrafanaNetworkError, RetriesExhaustedError, UsageError } from "./errors";
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
}

export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
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

function networkDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici reports "fetch failed" and puts the useful part (ECONNRESET, "other side closed") in cause.
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
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

export class HttpClient {
  readonly baseUrl: URL;
  readonly redactor: Redactor;
  private readonly headers: Record<string, string>;
  private readonly policy: RetryPolicy;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: HttpOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl, options.allowInsecureHttp ?? false);
    this.redactor = options.redactor ?? new Redactor();
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
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

  private url(path: string): string {
    // Keep any sub-path the base URL has (Grafana served under /grafana).
    return this.baseUrl.href.replace(/\/+$/, "") + path;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const started = Date.now();
    const deadline = new AbortController();
    const deadlineTimer = setTimeout(
      () => deadline.abort(new Error(`total time limit of ${this.policy.totalTimeMs / 1000}s exceeded`)),
      this.policy.totalTimeMs,
    );
    let attempts = 0;
    const attempt = async (): Promise<HttpResponse> => {
      attempts++;
      const signal = AbortSignal.any([AbortSignal.timeout(this.requestTimeoutMs), deadline.signal]);
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
          signal,
          // A redirect could carry the Authorization header somewhere else; report it instead.
          redirect: "manual",
        });
        status = response.status;
        retryAfter = response.headers.get("retry-after");
        text = await response.text();
        if (status >= 300 && status < 400) {
          throw new AbortError(
            new GrafanaNetworkError(method, path, `unexpected redirect (${status}) to ${response.headers.get("location") ?? "?"}; set GRAFANA_URL to the final address`),
          );
        }
      } catch (error) {
        if (error instanceof AbortError) throw error;
        if (deadline.signal.aborted) {
          throw new AbortError(new GrafanaNetworkError(method, path, String((deadline.signal.reason as Error).message)));
        }
        if (error instanceof Error && error.name === "TimeoutError") {
          throw new GrafanaNetworkError(method, path, `no response within ${this.requestTimeoutMs / 1000}s (request timeout)`);
        }
        throw new GrafanaNetworkError(method, path, networkDetail(error));
      }
      let body: unknown = text;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          // Proxies answer with HTML or plain text; keep it as a string for the error message.
        }
      } else {
        body = undefined;
      }
      if ((status >= 200 && status < 300) || options.accept?.includes(status)) return { status, body };
      const retryable = status === 429 || status >= 500;
      const error = new GrafanaApiError(method, path, status, body, retryable, parseRetryAfter(retryAfter));
      if (!retryable) throw new AbortError(error);
      throw error;
    };

    try {
      return await pRetry(attempt, {
        retries: this.policy.retries,
        factor: 2,
        minTimeout: this.policy.minDelayMs,
        maxTimeout: this.policy.maxDelayMs,
        randomize: true, // jitter: spreads retries of concurrent requests
        maxRetryTime: this.policy.totalTimeMs,
        onFailedAttempt: async (error) => {
          if (error.retriesLeft <= 0) return;
          this.options.onRetry?.({ method, path, attempt: error.attemptNumber, reason: this.redactor.redact(error.message) });
          const wait = error instanceof GrafanaApiError ? error.retryAfterMs : undefined;
          if (wait !== undefined && wait > 0) {
            const left = this.policy.totalTimeMs - (Date.now() - started);
            if (wait >= left) {
              throw new RetriesExhaustedError(error, attempts, `Retry-After of ${wait / 1000}s exceeds the time left`);
            }
            await sleep(wait, deadline.signal).catch(() => {
              throw new RetriesExhaustedError(error, attempts, "total time limit reached while waiting for Retry-After");
            });
          }
        },
      });
    } catch (error) {
      let final: unknown = error;
      if (error instanceof GrafanaApiError && error.retryable) {
        final = new RetriesExhaustedError(error, attempts, "retries exhausted or time limit reached");
      } else if (error instanceof GrafanaNetworkError && attempts > 1) {
        final = new RetriesExhaustedError(error, attempts, "retries exhausted or time limit reached");
      } else if (!(error instanceof GrafanaApiError || error instanceof GrafanaNetworkError || error instanceof RetriesExhaustedError) && deadline.signal.aborted) {
        final = new GrafanaNetworkError(method, path, (deadline.signal.reason as Error).message);
      }
      throw this.redactor.redactError(final);
    } finally {
      clearTimeout(deadlineTimer);
    }
  }
}
