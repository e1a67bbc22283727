// Alert severities: one list for the alert kit and the linter's alert-severity rule.

export type AlertSeverity = "critical" | "warning" | "info";
export const severities: readonly AlertSeverity[] = ["critical", "warning", "info"];
