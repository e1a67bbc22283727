// The linter's public surface, for the CLI and tests.

export { lintQuery, type QueryInput, type QueryResult } from "./promql/lint";
export { REGISTRY } from "./rules/index";
export { parseTypeMetadata, type MetadataType } from "./metadata";
export { isProfile, PROFILES, type LintRule, type Profile } from "./rule";
export { substituteVariables, type DashboardVariable } from "./promql/variables";
export { lintDashboard, collectPanels, dashboardVariables } from "./dashboard";
export { lintRuleGroups, readRuleGroups } from "./rules-file";
export { lintFiles, defaultTargets, NoOutputError, type RunResult, type InputError } from "./files";
export { loadConfig, parseConfig, applyExclusions, ConfigError, DEFAULT_CONFIG, type LintConfig, type Exclusion } from "./config";
export { formatFinding, formatJson, exitCode, summarize } from "./report";
export { defaultOptions } from "./options";
export type { Finding, LintFinding, Severity } from "./types";
export type { LintOptions } from "./rule";
