// A lint run over files: find them, read them, tell dashboards from rule files, lint, suppress.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
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
    return (readdirSync(path, { recursive, encoding: "utf8" }) as string[])
      .filter((f) => ext.test(f))
      .sort()
      .map((f) => join(path, f));
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

function expand(path: string): string[] {
  try {
    if (statSync(path).isDirectory())
      return (readdirSync(path, { recursive: true, encoding: "utf8" }) as string[])
        .filter((f) => /\.(json|ya?ml)$/.test(f))
        .sort()
        .map((f) => join(path, f));
  } catch {
    // Unreadable paths are reported when read.
  }
  return [path];
}

export function lintFiles(input: RunInput): RunResult {
  const inputErrors: InputError[] = [];
  const loaded: Loaded[] = [];
  /** Every file read, rules or not: none is parsed twice. */
  const read = new Set<string>();
  const isOwn = (abs: string) => {
    const rel = relative(input.root, abs).replace(/\\/g, "/");
    return !rel.startsWith("..") && input.config.own.some((g) => matchesGlob(rel, g));
  };
  for (const path of input.paths.flatMap(expand)) {
    const abs = resolve(path);
    const rel = relative(process.cwd(), abs);
    const display = rel && !rel.startsWith("..") ? rel : path;
    let text: string;
    try {
      text = readFileSync(abs, "utf8");
    } catch (e) {
      inputErrors.push({ file: display, reason: (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message });
      continue;
    }
    read.add(abs);
    const profile: Profile = input.profile ?? (isOwn(abs) ? "own" : "foreign");
    const base = { path: abs, display, profile };
    if (/\.json$/i.test(abs)) {
      try {
        loaded.push({ ...base, dashboard: JSON.parse(text) as unknown });
      } catch (e) {
        inputErrors.push({ file: display, reason: `invalid JSON: ${(e as Error).message}` });
      }
    } else if (/\.ya?ml$/i.test(abs)) {
      // A discovered YAML file without a `groups:` key (a ConfigMap holding a whole dashboard, a
      // kustomization) holds no rules: it is not parsed at all.
      if (input.discovered && !/^\s*groups\s*:/m.test(text)) continue;
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
  for (const extra of projectRuleFiles(input.root, read)) for (const n of recordedNames(extra)) recorded.add(n);
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
  let paths: string[] = [];
  try {
    paths = defaultTargets(root).filter((p) => /\.ya?ml$/.test(p) && !read.has(resolve(p)));
  } catch {
    return [];
  }
  return paths.flatMap((p) => {
    try {
      return [readRuleGroups(readFileSync(p, "utf8"), false)];
    } catch {
      return [];
    }
  });
}
