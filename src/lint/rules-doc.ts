// docs/lint-rules.md, generated from the registry (npm run docs; a test fails when stale).

import type { Level, LintRule, Scope } from "./rule";
import { PROFILES } from "./rule";
import { REGISTRY } from "./rules/index";

const SECTIONS: readonly [Scope, string][] = [
  ["query", "PromQL (dashboard targets and rule expressions)"],
  ["dashboard", "Dashboards"],
  ["group", "Rule groups (plain Prometheus rule files and PrometheusRule resources)"],
  ["rule", "Rules (alerting and recording)"],
  ["run", "The linter itself"],
];

const LEVEL: Readonly<Record<Level, string>> = { error: "E", warning: "W", off: "–" };
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function example(rule: LintRule): string {
  const bad = rule.cases.bad[0];
  if (bad === undefined) return "";
  const text = "expr" in bad ? bad.expr : JSON.stringify(bad);
  return text.length > 120 ? "" : text;
}

export function lintRulesDoc(rules: readonly LintRule[] = REGISTRY): string {
  const out = [
    "# Lint rules",
    "",
    "<!-- Generated from src/lint/rules/ by `npm run docs`; do not edit by hand. -->",
    "",
    "Each rule is one file under `src/lint/rules/<scope>/`, with the cases that must and must not",
    "trip it (a test runs them all). **Class**: `correctness` means the query, rule or dashboard is",
    "wrong or will mislead; `style` is this project's house convention. **own / foreign / strict**:",
    "the severity in each profile (E error, W warning, – off). Files matched by the `own` globs of",
    "`lint.config.yaml` get `own`, every other file `foreign`; `--profile` sets one for all files.",
    "Errors fail `npm run lint` (exit 1) and the build; warnings fail the lint only with `--strict`.",
    "`syntax`, `types` and `internal` cannot be suppressed.",
    "",
  ];
  for (const [scope, title] of SECTIONS) {
    const inScope = rules.filter((r) => r.scope === scope);
    if (!inScope.length) continue;
    out.push(`## ${title}`, "", `| id | class | ${PROFILES.join(" | ")} | checks | why | fails on (example) |`, `|---|---|${PROFILES.map(() => "---|").join("")}---|---|---|`);
    for (const r of inScope) {
      const levels = PROFILES.map((p) => LEVEL[r.severity[p]]).join(" | ");
      const bad = example(r);
      out.push(`| \`${r.id}\` | ${r.class} | ${levels} | ${cell(r.summary)} | ${cell(r.rationale)} | ${bad ? `\`${cell(bad).replace(/`/g, "'")}\`` : ""} |`);
    }
    out.push("");
  }
  return out.join("\n");
}
