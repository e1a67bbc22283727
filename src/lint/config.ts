// lint.config.yaml: scrape interval, which files are the project's own, and suppressions.
//
//   scrapeInterval: 30s
//   own: ["out/**"]
//   exclusions:
//     - rule: panel-units
//       file: out/dashboards/kafka-*.json     # glob, relative to the repository root
//       dashboard: kafka-overview             # title or uid
//       panel: Broker count                   # title or id
//       reason: a count has no unit
//
// A suppressed finding is still printed, marked with its reason, and does not fail the run.

import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { parseDuration } from "./duration";
import { matchesGlob } from "./glob";
import { REGISTRY } from "./rules/index";
import type { Finding } from "../model/finding";

export interface Exclusion {
  readonly rule: string;
  readonly file?: string;
  readonly dashboard?: string;
  readonly panel?: string;
  readonly group?: string;
  /** Alert or recording rule name. */
  readonly alert?: string;
  readonly reason: string;
}

export interface LintConfig {
  readonly scrapeIntervalMs: number;
  readonly own: readonly string[];
  readonly exclusions: readonly Exclusion[];
}

/** Rules that report broken queries, never a matter of taste: they cannot be suppressed. */
export const UNSUPPRESSIBLE: ReadonlySet<string> = new Set(REGISTRY.filter((r) => r.unsuppressible).map((r) => r.id));
const KNOWN_RULES: ReadonlySet<string> = new Set(REGISTRY.map((r) => r.id));

export const DEFAULT_CONFIG: LintConfig = { scrapeIntervalMs: 30_000, own: ["out/**"], exclusions: [] };

export class ConfigError extends Error {}

export function loadConfig(path: string, required: boolean): LintConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (!required && (e as NodeJS.ErrnoException).code === "ENOENT") return DEFAULT_CONFIG;
    throw new ConfigError(`${path}: cannot read: ${(e as Error).message}`);
  }
  return parseConfig(text, path);
}

export function parseConfig(text: string, path: string): LintConfig {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (e) {
    throw new ConfigError(`${path}: invalid YAML: ${(e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`${path}: expected a mapping`);
  const obj = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(obj)) if (!["scrapeInterval", "own", "exclusions"].includes(key)) problems.push(`unknown key ${key}`);
  let scrapeIntervalMs = DEFAULT_CONFIG.scrapeIntervalMs;
  if (obj.scrapeInterval !== undefined) {
    const ms = typeof obj.scrapeInterval === "string" ? parseDuration(obj.scrapeInterval) : undefined;
    if (!ms) problems.push(`scrapeInterval must be a duration such as 30s`);
    else scrapeIntervalMs = ms;
  }
  let own = DEFAULT_CONFIG.own;
  if (obj.own !== undefined) {
    if (!Array.isArray(obj.own) || !obj.own.every((g) => typeof g === "string")) problems.push("own must be a list of globs");
    else own = obj.own as string[];
  }
  const exclusions: Exclusion[] = [];
  if (obj.exclusions !== undefined && !Array.isArray(obj.exclusions)) problems.push("exclusions must be a list");
  for (const [i, e] of (Array.isArray(obj.exclusions) ? obj.exclusions : []).entries()) {
    const where = `exclusions[${i}]`;
    if (typeof e !== "object" || e === null) {
      problems.push(`${where} must be a mapping`);
      continue;
    }
    const x = e as Record<string, unknown>;
    const fields = ["rule", "file", "dashboard", "panel", "group", "alert", "reason"];
    for (const key of Object.keys(x)) if (!fields.includes(key)) problems.push(`${where}: unknown key ${key}`);
    for (const key of fields) if (x[key] !== undefined && typeof x[key] !== "string" && typeof x[key] !== "number") problems.push(`${where}.${key} must be a string`);
    if (typeof x.rule !== "string" || !x.rule) problems.push(`${where}.rule is required`);
    else if (!KNOWN_RULES.has(x.rule)) problems.push(`${where}: unknown rule ${x.rule} (docs/lint-rules.md lists them)`);
    else if (UNSUPPRESSIBLE.has(x.rule)) problems.push(`${where}: rule ${x.rule} cannot be suppressed`);
    if (typeof x.reason !== "string" || !x.reason.trim()) problems.push(`${where}.reason is required`);
    const str = (k: string) => (x[k] === undefined ? {} : { [k]: String(x[k]) });
    exclusions.push({ rule: String(x.rule), reason: String(x.reason), ...str("file"), ...str("dashboard"), ...str("panel"), ...str("group"), ...str("alert") });
  }
  if (problems.length) throw new ConfigError(`${path}: ${problems.join("; ")}`);
  return { scrapeIntervalMs, own, exclusions };
}

function matches(exclusion: Exclusion, finding: Finding): boolean {
  if (exclusion.rule !== finding.rule || UNSUPPRESSIBLE.has(exclusion.rule)) return false;
  if (exclusion.file !== undefined && !(finding.file !== undefined && matchesGlob(finding.file, exclusion.file))) return false;
  const s = finding.scope ?? {};
  if (exclusion.dashboard !== undefined && !s.dashboard?.includes(exclusion.dashboard)) return false;
  if (exclusion.panel !== undefined && !s.panel?.includes(exclusion.panel)) return false;
  if (exclusion.group !== undefined && s.group !== exclusion.group) return false;
  if (exclusion.alert !== undefined && s.rule !== exclusion.alert) return false;
  return true;
}

/** Marks findings an exclusion covers; they stay in the list. */
export function applyExclusions<F extends Finding>(findings: readonly F[], exclusions: readonly Exclusion[]): F[] {
  return findings.map((f) => {
    const hit = exclusions.find((e) => matches(e, f));
    return hit ? { ...f, suppressed: hit.reason } : f;
  });
}
