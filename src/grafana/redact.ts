// Last line of defence against leaking credentials: every line the CLI prints and every
// error message the HTTP layer builds goes through a Redactor. Code paths are written not to
// include secrets in the first place; this catches what slips through (e.g. a proxy echoing
// the Authorization header back in an error body).

import { escapeControl } from "../model/text";

const MASK = "[REDACTED]";

/** A run of base64 characters shorter than this is not masked: too likely to hit ordinary text. */
const MIN_BASE64_CORE = 6;

/** Not a credential: an English word such as "auth", "authentication" or "Tokens". */
const isWord = (value: string): boolean => /^[A-Za-z][a-z]*$/.test(value);

// Shapes of credentials that are masked even when their value was never registered. Each one
// matches the credential, not the words around it: "basic auth" in help text stays as it is.
const PATTERNS: readonly [RegExp, (match: string, ...groups: string[]) => string][] = [
  [/glsa_[A-Za-z0-9_]{8,}/g, () => MASK], // Grafana service account tokens
  [/glc_[A-Za-z0-9+/=_-]{8,}/g, () => MASK], // Grafana Cloud access policy tokens
  [/\b(Bearer|Basic)(\s+)([A-Za-z0-9+/=._~-]{4,})/gi, (match, scheme, space, value) => (isWord(value) ? match : `${scheme}${space}${MASK}`)],
  [/(\/\/[^/\s:@]+:)[^/\s@]+@/g, (_match, prefix) => `${prefix}${MASK}@`], // user:password@ in URLs
];

/**
 * The base64 text that stands for `secret`: its whole encoding, and wherever it sits in a longer
 * base64 string, the characters that encode only the secret's bits, for each of the three byte
 * alignments, in the standard and the URL-safe alphabet.
 */
export function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  // The whole encoding (with its padding) first, so a credential sent alone is masked to its last character.
  const forms: string[] = [bytes.toString("base64")];
  for (const offset of [0, 1, 2]) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(3)]).toString("base64");
    // Character i encodes bits [6i, 6i + 6); keep the ones that lie wholly inside the secret.
    const core = padded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (core.length >= MIN_BASE64_CORE) forms.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret and the encodings it travels in: URL-encoded and base64 at any alignment. */
  add(...secrets: readonly (string | undefined)[]): this {
    for (const secret of secrets) {
      // Very short values would mangle unrelated text; no real token or password is that short.
      if (!secret || secret.length < 4) continue;
      for (const form of [secret, encodeURIComponent(secret), ...base64Forms(secret)]) this.secrets.add(form);
    }
    return this;
  }

  /** The password and the whole `user:password` pair that basic auth sends in base64. */
  addBasicAuth(user: string, password: string): this {
    return this.add(password, `${user}:${password}`);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(MASK);
    }
    for (const [pattern, replace] of PATTERNS) out = out.replace(pattern, replace);
    return out;
  }

  /** Returns an Error whose message and stack carry no secret; the original is not kept as `cause`. */
  redactError(error: unknown): Error {
    if (!(error instanceof Error)) return new Error(this.redact(String(error)));
    error.message = this.redact(error.message);
    if (error.stack) error.stack = this.redact(error.stack);
    return error;
  }

  /** Server text fit for one line of output: masked first, then control characters escaped, then cut. */
  snippet(text: string, max = 200): string {
    const flat = escapeControl(this.redact(text).replace(/\s+/g, " ").trim());
    return flat.length > max ? `${flat.slice(0, max)}…` : flat;
  }
}
