// A lint run over files: find them, read them, tell dashboards from rule files, lint, suppress.

import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from "node:fs";
import { isUtf8 } from "node:buffer";
import { join, relative, resolve } from "node:path";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import { applyExclusions, type LintConfig } from "./config";
import { lintDashboard } from "./dashboard";
import { matchesGlob } from "./glob";
import { lintRuleGroups, readRuleGroups, recordedNames, RuleFileError, type RuleGroupSource } from "./rules-file";
import type { LintOptions, Profile } from "./rule";
import type { LintFinding } from "./types";

/** A file that could not be linted at all (exit 2). */
export interface InputError {
  readonly file: string;
  readonly reason: string;
}

export interface RunResult {
  readonly findings: readonly LintFinding[];
  readonly inputErrors: readonly InputError[];
  readonly files: number;
}

export class NoOutputError extends Error {}

/** What `npm run build` generates and the linter lints by default. */
export function defaultTargets(root: string): string[] {
  const out = join(root, "out");
  if (!existsSync(out)) throw new NoOutputError(`${relative(process.cwd(), out) || out}: not found; run \`npm run build\` first (or pass files to lint)`);
  const pick = (dir: string, ext: RegExp, recursive = false): string[] => {
    const path = join(out, dir);
    if (!existsSync(path)) return [];
    const files = recursive ? expand(path, []) : readdirSync(path).sort().map((f) => join(path, f));
    return files.filter((f) => ext.test(f));
  };
  return [...pick("dashboards", /\.json$/), ...pick("prometheus", /\.ya?ml$/), ...pick("k8s", /\.ya?ml$/, true)];
}

interface Loaded {
  readonly path: string;
  readonly display: string;
  readonly profile: Profile;
  readonly dashboard?: unknown;
  readonly rules?: readonly RuleGroupSource[];
}

export interface RunInput {
  readonly paths: readonly string[];
  /** Files found by default discovery: YAML without rules (e.g. other k8s objects) is skipped silently. */
  readonly discovered: boolean;
  readonly root: string;
  readonly config: LintConfig;
  readonly options: LintOptions;
  /** Every file in this profile; default: own for files the config's `own` globs match, else foreign. */
  readonly profile?: Profile;
}

/** Larger files are not read: a dashboard or rule file is a few MB at most. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

const LINTABLE = /\.(json|ya?ml)$/i;

function displayPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel && !rel.startsWith("..") ? rel : path;
}

/**
 * The lintable files under `path` (or `path` itself). Symbolic links are followed, but a link back
 * to a directory on the current path (a loop) is reported and not entered, and a directory
 * reached twice is walked once.
 */
function expand(path: string, errors: InputError[]): string[] {
  let top: Stats;
  try {
    top = statSync(path);
  } catch {
    return [path]; // reported when read
  }
  if (!top.isDirectory()) return [path];
  const files: string[] = [];
  const walked = new Set<string>();
  const visit = (dir: string, stats: Stats, ancestors: ReadonlySet<string>): void => {
    const key = `${stats.dev}:${stats.ino}`;
    if (ancestors.has(key)) {
      errors.push({ file: displayPath(dir), reason: "directory loop: a symbolic link leads back to a directory it is inside; not followed" });
      return;
    }
    if (walked.has(key)) return;
    walked.add(key);
    const inside = new Set(ancestors).add(key);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      errors.push({ file: displayPath(dir), reason: `cannot read directory: ${(e as Error).message}` });
      return;
    }
    for (const name of names) {
      const child = join(dir, name);
      let st: Stats;
      try {
        st = statSync(child);
      } catch {
        if (LINTABLE.test(name)) files.push(child); // a broken link: reported when read
        continue;
      }
      if (st.isDirectory()) visit(child, st, inside);
      else if (LINTABLE.test(name)) files.push(child);
    }
  };
  visit(path, top, new Set());
  return files;
}

const KINDS: [(s: Stats) => boolean, string][] = [
  [(s) => s.isFIFO(), "a FIFO"],
  [(s) => s.isCharacterDevice(), "a character device"],
  [(s) => s.isBlockDevice(), "a block device"],
  [(s) => s.isSocket(), "a socket"],
  [(s) => s.isDirectory(), "a directory"],
];

/**
 * The text of a regular file of at most MAX_FILE_BYTES, or why not. Opened non-blocking and checked
 * on the open descriptor: a FIFO or device is refused without waiting or reading, a huge (or
 * sparse) file without reading, and a file that grows meanwhile is read no further than the cap.
 */
export function readLintable(path: string): { text: string } | { reason: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { reason: code === "ENOENT" ? "no such file" : code === "ELOOP" ? "symbolic link loop" : (e as Error).message };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = KINDS.find(([test]) => test(st))?.[1] ?? "special file";
      return { reason: `${kind}, not a regular file: only regular files are linted` };
    }
    if (st.size > MAX_FILE_BYTES) return { reason: `${st.size} bytes: larger than the ${MAX_FILE_BYTES / 1024 / 1024} MB this linter reads` };
    const buffer = Buffer.alloc(Math.min(st.size, MAX_FILE_BYTES) + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > MAX_FILE_BYTES) return { reason: `larger than the ${MAX_FILE_BYTES / 1024 / 1024} MB this linter reads` };
    const bytes = buffer.subarray(0, length);
    if (!isUtf8(bytes)) return { reason: `not valid UTF-8 (first bad byte on line ${firstBadUtf8Line(bytes)}); Prometheus and Grafana refuse such files` };
    const text = bytes.toString("utf8");
    if (text.trim() === "") return { reason: "empty file" };
    return { text };
  } finally {
    closeSync(fd);
  }
}

/** A newline byte never occurs inside a multi-byte UTF-8 sequence, so lines can be checked alone. */
function firstBadUtf8Line(bytes: Buffer): number {
  let line = 1;
  for (let start = 0; start <= bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end < 0 ? bytes.length : end;
    if (!isUtf8(bytes.subarray(start, stop))) return line;
    if (end < 0) break;
    start = end + 1;
  }
  return line;
}

/**
 * Where JSON.parse failed, as line and column. V8's messages give no position for many errors,
 * so jsonc-parser (VS Code's JSON scanner, comments and trailing commas disallowed) locates it.
 */
function jsonErrorAt(text: string, fallback: string): string {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return fallback;
  const before = text.slice(0, first.offset);
  const line = before.split("\n").length;
  const column = first.offset - before.lastIndexOf("\n");
  const what = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return `${what} at line ${line}, column ${column}`;
}

export function lintFiles(input: RunInput): RunResult {
  const inputErrors: InputError[] = [];
  const loaded: Loaded[] = [];
  /** Every file read, rules or not: none is parsed twice. */
  const seen = new Set<string>();
  const isOwn = (abs: string) => {
    const rel = relative(input.root, abs).replace(/\\/g, "/");
    return !rel.startsWith("..") && input.config.own.some((g) => matchesGlob(rel, g));
  };
  const candidates = input.paths.flatMap((p) => expand(p, inputErrors));
  if (candidates.length === 0 && inputErrors.length === 0)
    inputErrors.push({ file: input.paths.join(", "), reason: "nothing to lint: no .json, .yaml or .yml files" });
  for (const path of candidates) {
    const abs = resolve(path);
    const display = displayPath(path);
    const read = readLintable(abs);
    if ("reason" in read) {
      inputErrors.push({ file: display, reason: read.reason });
      continue;
    }
    seen.add(abs);
    const { text } = read;
    const profile: Profile = input.profile ?? (isOwn(abs) ? "own" : "foreign");
    const base = { path: abs, display, profile };
    if (/\.json$/i.test(abs)) {
      try {
        loaded.push({ ...base, dashboard: JSON.parse(text) as unknown });
      } catch (e) {
        inputErrors.push({ file: display, reason: `invalid JSON: ${jsonErrorAt(text, (e as Error).message)}` });
      }
    } else if (/\.ya?ml$/i.test(abs)) {
      // A discovered YAML file without a `groups:` key (a ConfigMap holding a whole dashboard, a
      // kustomization) holds no rules: it is not parsed at all.
      // (`includes` first: over a 40 KB dashboard ConfigMap it takes ~3 µs, the regex ~70 µs.)
      if (input.discovered && !(text.includes("groups") && /^\s*groups\s*:/m.test(text))) continue;
      try {
        const rules = readRuleGroups(text, !input.discovered);
        if (rules.length) loaded.push({ ...base, rules });
      } catch (e) {
        inputErrors.push({ file: display, reason: e instanceof RuleFileError ? e.message : `cannot read: ${(e as Error).message}` });
      }
    } else inputErrors.push({ file: display, reason: "unknown file type: expected a dashboard .json or a rule file .yaml/.yml" });
  }

  // Recording rules of the run and of the project's output are metrics the dashboards may use.
  const recorded = new Set<string>(input.options.recordedNames);
  for (const l of loaded) if (l.rules) for (const n of recordedNames(l.rules)) recorded.add(n);
  for (const extra of projectRuleFiles(input.root, seen)) for (const n of recordedNames(extra)) recorded.add(n);
  const options: LintOptions = { ...input.options, recordedNames: recorded };

  const findings: LintFinding[] = [];
  for (const l of loaded) {
    if (l.dashboard !== undefined) findings.push(...lintDashboard(l.dashboard, { file: l.display, profile: l.profile }, options));
    if (l.rules) findings.push(...lintRuleGroups(l.rules, l.display, l.profile, options));
  }
  return { findings: applyExclusions(findings, input.config.exclusions), inputErrors, files: loaded.length };
}

/** Rule files under out/ not part of this run (read quietly; errors there are not this run's). */
function projectRuleFiles(root: string, read: ReadonlySet<string>): RuleGroupSource[][] {
  let paths: string[];
  try {
    paths = defaultTargets(root).filter((p) => /\.ya?ml$/.test(p) && !read.has(resolve(p)));
  } catch (e) {
    if (e instanceof NoOutputError) return []; // nothing built: no recording rules to add
    throw e;
  }
  return paths.flatMap((p) => {
    const read = readLintable(p);
    try {
      return "text" in read ? [readRuleGroups(read.text, false)] : [];
    } catch (e) {
      // Not this run's file: its own lint reports it; here it only adds no recorded names.
      if (e instanceof RuleFileError) return [];
      throw e;
    }
  });
}
