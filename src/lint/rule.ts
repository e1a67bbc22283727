// What a lint rule is: data (id, scope, class, severity per profile, summary, rationale, the
// cases that show it) plus one check. The registry (rules/index.ts) lists them all; the linter,
// the build and docs/lint-rules.md all read that one list.

import type { RuleClass, Severity } from "../model/finding";
import type { AnyMetric } from "../model/metric";
import type { CatalogueIndex, SeriesKind } from "./catalogue";
import type { DashboardContext, PanelInfo } from "./dashboard-model";
import type { MetadataType } from "./metadata";
import type { Expr } from "./promql/ast";
import type { ParsedQuery } from "./promql/parse";
import type { GroupContext, RuleContext } from "./rules-model";
import type { Json } from "./types";

export interface LintOptions {
  /** Metric catalogue used for counter/gauge typing and known-metric checks. */
  readonly catalogue: readonly AnyMetric[];
  /** Metric family → type, from `# TYPE` lines (--metadata). */
  readonly metadata: ReadonlyMap<string, MetadataType>;
  /** Scrape interval in ms for rate-range-min (default 30 s). */
  readonly scrapeIntervalMs: number;
  /** Names produced by recording rules (known metrics for the project's own queries). */
  readonly recordedNames: ReadonlySet<string>;
  /** The rules to run: the registry, or a subset in tests. */
  readonly rules: readonly LintRule[];
}

export type QueryMode = "dashboard" | "rule";

/** What every PromQL rule receives: the parsed tree, its flat node list, and the lint settings. */
export interface QueryContext {
  readonly query: string;
  readonly parsed: ParsedQuery;
  readonly mode: QueryMode;
  /** Catalogue labels and names apply (the project's own files, or the strict profile). */
  readonly own: boolean;
  readonly options: LintOptions;
  readonly catalogue: CatalogueIndex;
  /** Counter or gauge, from the catalogue or `# TYPE` metadata only. */
  readonly kind: (name: string) => SeriesKind;
  /** Original source text of a node (variables restored), shortened for messages. */
  readonly text: (node: Expr) => string;
  /** 1-based column in the original query of an offset in the parsed text. */
  readonly column: (offset: number) => number;
}

export type Profile = "own" | "foreign" | "strict";
export const PROFILES: readonly Profile[] = ["own", "foreign", "strict"];
export const isProfile = (s: string): s is Profile => (PROFILES as readonly string[]).includes(s);
/** What a rule reports at in a profile; "off" does not run it. */
export type Level = Severity | "off";

/** Where a rule looks: one PromQL query, one dashboard, one rule group, one rule. */
export type Scope = "query" | "dashboard" | "group" | "rule" | "run";

/**
 * When a rule runs. "input": on anything, even a query that does not parse or a value that is
 * not a mapping; "parsed": once the input parses (a query's tree may be cut short);
 * default: only on a complete, well-formed input.
 */
export type Stage = "input" | "parsed";

interface RuleData<S extends Scope, Case> {
  readonly id: string;
  readonly scope: S;
  readonly class: RuleClass;
  readonly severity: Readonly<Record<Profile, Level>>;
  /** One line: what the rule checks. */
  readonly summary: string;
  /** Why it matters, and where the idea comes from. */
  readonly rationale: string;
  readonly stage?: Stage;
  /** A broken query is never a matter of taste: lint.config.yaml cannot suppress this rule. */
  readonly unsuppressible?: true;
  /** Inputs that must produce a finding of this rule, and inputs that must not. */
  readonly cases: { readonly bad: readonly Case[]; readonly good: readonly Case[] };
}

export interface QueryCase {
  readonly expr: string;
  /** Default: rule. */
  readonly mode?: QueryMode;
}
/** Overrides of a clean example dashboard (rules/dashboard/example.ts) and of its one panel. */
export interface DashboardCase {
  readonly dashboard?: Json;
  readonly panel?: Json;
  /** Panels added after the example panel. */
  readonly more?: readonly Json[];
}
/** Overrides of a clean example group and of its one alert (rules/rule/example.ts). */
export interface RuleCase {
  readonly rule?: Json;
  readonly group?: Json;
}

export type Report = (message: string) => void;
export type PanelReport = (message: string, at?: { readonly panel?: PanelInfo; readonly path?: readonly string[] }) => void;

export interface QueryRule extends RuleData<"query", QueryCase> {
  readonly check: (ctx: QueryContext, report: Report) => void;
}
export interface DashboardRule extends RuleData<"dashboard", DashboardCase> {
  readonly check: (ctx: DashboardContext, report: PanelReport) => void;
}
export interface GroupRule extends RuleData<"group", RuleCase> {
  readonly check: (ctx: GroupContext, report: Report) => void;
}
export interface RuleRule extends RuleData<"rule", RuleCase> {
  readonly check: (ctx: RuleContext, report: Report) => void;
}
/** The linter's own failure: no check, reported by the runners when a check throws. */
export type RunRule = RuleData<"run", never>;
export type LintRule = QueryRule | DashboardRule | GroupRule | RuleRule | RunRule;

/** A rule that says the query, rule or dashboard is wrong: on in every profile. */
export function correctness(severity: Severity, foreign: Level = severity): Pick<LintRule, "class" | "severity"> {
  return { class: "correctness", severity: { own: severity, foreign, strict: severity } };
}

/** A house convention: on for the project's own files and with the strict profile, off for others' files. */
export function style(severity: Severity): Pick<LintRule, "class" | "severity"> {
  return { class: "style", severity: { own: severity, foreign: "off", strict: severity } };
}
