// Errors from the Grafana API, turned into messages that say what to do. Matching is on the
// status plus `status`/`messageId` in the body (grafana-api.md "Error bodies"), never on text.

export interface ErrorBody {
  readonly message?: string;
  readonly messageId?: string;
  readonly status?: string;
  readonly title?: string;
  readonly accessErrorId?: string;
}

function asErrorBody(body: unknown): ErrorBody {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const str = (key: string): string | undefined => (typeof b[key] === "string" ? (b[key] as string) : undefined);
  return { message: str("message"), messageId: str("messageId"), status: str("status"), title: str("title"), accessErrorId: str("accessErrorId") };
}

/** A response Grafana answered with a status the caller did not expect. */
export class GrafanaApiError extends Error {
  readonly body: ErrorBody;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly statusCode: number,
    rawBody: unknown,
    /** Whether the HTTP layer may try again (429, 5xx). */
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    /** What the server said, already masked and cut (Redactor.snippet); printed when the body has no message. */
    serverText?: string,
  ) {
    const body = asErrorBody(rawBody);
    super(describeApiError(method, path, statusCode, body, body.message ?? (serverText || undefined)));
    this.name = "GrafanaApiError";
    this.body = body;
  }

  /** 401: every further request would fail the same way. */
  get isAuthFailure(): boolean {
    return this.statusCode === 401;
  }
}

/** No usable response: connection refused/reset, DNS, TLS, per-request timeout. */
export class GrafanaNetworkError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    detail: string,
    /** Whether trying again could help (refused, reset, timeout) or not (unknown host, TLS, bad header). */
    readonly retryable = true,
  ) {
    super(`${method} ${path}: ${detail}`);
    this.name = "GrafanaNetworkError";
  }
}

/** A 2xx whose body is not what Grafana sends: a proxy's login page, an empty object, HTML. */
export class UnexpectedResponseError extends Error {
  constructor(method: string, path: string, status: number, expected: string, snippet: string) {
    super(
      `${method} ${path} answered ${status} but not with ${expected}; is a proxy or login page in front of Grafana? Body: ${snippet ? JSON.stringify(snippet) : "(empty)"}`,
    );
    this.name = "UnexpectedResponseError";
  }
}

/** The whole push ran out of time (--deadline). */
export class DeadlineError extends Error {
  constructor(method: string, path: string, deadlineMs: number) {
    super(`${method} ${path}: the push deadline of ${deadlineMs / 1000} s was reached`);
    this.name = "DeadlineError";
  }
}

/** Retries ran out of time or attempts; carries the last failure's message. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly last: Error,
    attempts: number,
    reason: string,
  ) {
    super(`${last.message} (gave up after ${attempts} attempt(s): ${reason})`);
    this.name = "RetriesExhaustedError";
  }
}

const AUTH_HINT = "Create a new service account token (see docs/push.md) and set GRAFANA_TOKEN.";

export function describeApiError(method: string, path: string, statusCode: number, body: ErrorBody, serverSays: string | undefined): string {
  const where = `${method} ${path}`;
  switch (statusCode) {
    case 401:
      switch (body.messageId) {
        case "api-key.invalid":
          return `authentication failed (401 api-key.invalid): the token is invalid (mistyped, or its service account was deleted). ${AUTH_HINT}`;
        case "api-key.expired":
          return `authentication failed (401 api-key.expired): the token has expired. ${AUTH_HINT}`;
        case "api-key.revoked":
          return `authentication failed (401 api-key.revoked): the token was revoked. ${AUTH_HINT}`;
        default:
          return `authentication failed (401${body.messageId ? ` ${body.messageId}` : ""}): Grafana rejected the credentials (token invalid or expired, or wrong user/password). ${AUTH_HINT}`;
      }
    case 403: {
      const needed = /Permissions needed:\s*(.+)$/.exec(body.message ?? "")?.[1]?.trim();
      if (needed) {
        return `permission denied (403) on ${where}: the service account lacks the permission ${needed}. Grant it (e.g. give the service account the Editor role or a custom role with ${needed}); see docs/push.md.`;
      }
      return `permission denied (403) on ${where}: ${serverSays ?? "access denied"}. The service account needs the permissions listed in docs/push.md.`;
    }
    case 409:
      return `conflict (409) on ${where}: ${serverSays ?? "the object already exists"}. Another object with the same uid or title exists; on older Grafana this is how an existing folder uid is reported.`;
    case 412:
      if (body.status === "version-mismatch") {
        return `conflict (412 version-mismatch) on ${where}: the object was changed by someone else since it was read (or, for a folder, its uid already exists). Re-run the push; it overwrites with the definition from this repository.`;
      }
      if (body.status === "name-exists") {
        return `conflict (412 name-exists) on ${where}: another dashboard in the same folder has this title (Grafana < 11.3). Rename or delete the other dashboard.`;
      }
      if (body.status === "plugin-dashboard") {
        return `conflict (412 plugin-dashboard) on ${where}: the dashboard belongs to a plugin; give ours a different uid.`;
      }
      return `precondition failed (412) on ${where}: ${serverSays ?? "conflict"}.`;
    case 429:
      return `rate limited (429) on ${where}${serverSays ? `: ${serverSays}` : ""}.`;
    default:
      return `${where} failed with ${statusCode}${serverSays ? `: ${serverSays}` : ""}.`;
  }
}

/** Bad configuration or arguments (CLI exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
