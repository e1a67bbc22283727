// The settings of `npm run verify` (build.config.ts `verify`) and the reasons it reports,
// shared by the configuration and src/verify.

/** Why a result is empty (or errored): stable identifiers, each explained in the README. */
export type Reason =
  | "metric-absent"
  | "label-missing"
  | "value-no-match"
  | "value-outside-catalogue"
  | "no-match-combination"
  | "too-sparse"
  | "stale"
  | "filtered"
  | "no-data"
  | "query-error"
  | "variable"
  | "rule-not-loaded"
  | "rule-differs"
  | "rule-unhealthy";

export interface AllowEmpty {
  /** `<dashboard uid>/<panel title>` or `<rule group>/<rule name>`; `*` as the second part for all. */
  readonly target: string;
  /** Why it may be empty; shown instead of the hint. */
  readonly reason?: string;
  /** Only when empty for one of these reasons (e.g. value-no-match, not metric-absent); default any. */
  readonly when?: readonly Reason[];
}

/** `npm run verify` settings in build.config.ts. */
export interface VerifyConfig {
  readonly allowEmpty: readonly AllowEmpty[];
}
