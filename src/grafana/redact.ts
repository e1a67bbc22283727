// Last line of defence against leaking credentials: every line the CLI prints and every
// error message the HTTP layer builds goes through a Redactor. Code paths are written not to
// include secrets in the first place; this catches what slips through (e.g. a proxy echoing
// the Authorization header back in an error body).

const MASK = "[REDACTED]";

// Shapes of credentials that are masked even when their value was never registered.
const PATTERNS: readonly RegExp[] = [
  /glsa_[A-Za-z0-9_]{8,}/g, // Grafana service account tokens
  /glc_[A-Za-z0-9+/=_-]{8,}/g, // Grafana Cloud access policy tokens
  /\b(Bearer|Basic)\s+[A-Za-z0-9+/=._~-]{4,}/gi, // Authorization header values
  /(\/\/[^/\s:@]+:)[^/\s@]+@/g, // user:password@ in URLs
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret and the encodings it travels in (basic auth is base64). */
  add(...secrets: readonly (string | undefined)[]): this {
    for (const secret of secrets) {
      // Very short values would mangle unrelated text; no real token or password is that short.
      if (secret && secret.length >= 4) {
        this.secrets.add(secret);
        this.secrets.add(encodeURIComponent(secret));
      }
    }
    return this;
  }

  addBasicAuth(user: string, password: string): this {
    this.add(password, Buffer.from(`${user}:${password}`).toString("base64"));
    return this;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(MASK);
    }
    for (const pattern of PATTERNS) {
      out = out.replace(pattern, (match, prefix: unknown) =>
        typeof prefix === "string" && prefix.startsWith("//") ? `${prefix}${MASK}@` : typeof prefix === "string" ? `${prefix} ${MASK}` : MASK,
      );
    }
    return out;
  }

  /** Returns an Error whose message and stack carry no secret; the original is not kept as `cause`. */
  redactError(error: unknown): Error {
    if (!(error instanceof Error)) return new Error(this.redact(String(error)));
    error.message = this.redact(error.message);
    if (error.stack) error.stack = this.redact(error.stack);
    return error;
  }
}
