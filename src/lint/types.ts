// The JSON object helpers the rules share, and the finding types of the model.

export type { Finding, FindingScope, LintFinding, RuleClass, Severity } from "../model/finding";

/** A JSON object read from an input file. */
export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
