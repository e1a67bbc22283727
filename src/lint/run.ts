// Running registry rules: which run in a profile, at what severity, and a failing check turned
// into an `internal` finding instead of a crash.

import type { FindingScope, LintFinding } from "../model/finding";
import { internal } from "./rules/internal";
import type { LintRule, Profile, Scope } from "./rule";

/** A finding before it is placed in a file. */
export interface RawFinding {
  readonly rule: LintRule;
  readonly message: string;
}

export type Emit = (rule: LintRule, message: string) => void;

const selections = new WeakMap<readonly LintRule[], Map<string, readonly LintRule[]>>();

/** The rules of one scope that are on in a profile (computed once per rule list). */
export function rulesOf<S extends Scope>(rules: readonly LintRule[], scope: S, profile: Profile): readonly Extract<LintRule, { scope: S }>[] {
  const cache = selections.get(rules) ?? new Map<string, readonly LintRule[]>();
  selections.set(rules, cache);
  const key = `${scope} ${profile}`;
  const hit = cache.get(key) ?? rules.filter((r) => r.scope === scope && r.severity[profile] !== "off");
  cache.set(key, hit);
  return hit.filter((r): r is Extract<LintRule, { scope: S }> => r.scope === scope);
}

/** Runs one check; if it throws, reports `internal` naming the rule. */
export function runCheck(emit: Emit, rule: LintRule | undefined, check: () => void): void {
  try {
    check();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    emit(internal, `linter failed${rule ? ` in rule ${rule.id}` : ""}: ${reason}`);
  }
}

/** A raw finding placed in a file, with the severity its rule has in the profile. */
export function place(raw: RawFinding, file: string, location: readonly string[], profile: Profile, scope?: FindingScope): LintFinding {
  const level = raw.rule.severity[profile];
  return {
    file,
    location,
    rule: raw.rule.id,
    severity: level === "off" ? "warning" : level,
    class: raw.rule.class,
    message: raw.message,
    ...(scope ? { scope } : {}),
  };
}
