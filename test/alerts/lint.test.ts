// Rule conventions on the compiled rule files (what Prometheus loads), checked by the
// project's own linter (src/lint: names, severity, summary/description style, group size,
// `$labels` the expression keeps, no `$value` in labels, no always-firing alert), plus what
// only this project promises: every alert documented, with a runbook section and a panel link.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ruleGroups } from "../../alerts/index";
import { buildConfig } from "../../build.config";
import { compilePrometheusRules } from "../../src/compile/prometheus-rules";
import { runbookUrlFor } from "../../src/kit/alert";
import { applyExclusions, defaultOptions, lintRuleGroups, loadConfig, readRuleGroups } from "../../src/lint";
import { allMetrics } from "../../catalogue/metrics";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const compiled = compilePrometheusRules(ruleGroups, { namespace: "monitoring", labels: buildConfig.ruleLabels, grafanaUrl: buildConfig.grafanaUrl });
const ruleFiles = compiled.files.filter((f) => f.path.startsWith("prometheus/"));

interface AlertYaml {
  alert?: string;
  annotations?: Record<string, string>;
}
const alertsYaml: AlertYaml[] = ruleFiles.flatMap((f) =>
  (parse(f.content) as { groups: { rules: AlertYaml[] }[] }).groups.flatMap((g) => g.rules.filter((r) => r.alert)),
);

/** GitHub's heading anchors for `## Title` lines: lower-case, spaces to dashes, punctuation dropped. */
function markdownAnchors(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-")));
}

describe("rule lint on the compiled rule files", () => {
  it("finds nothing that lint.config.yaml does not excuse with a reason", () => {
    const config = loadConfig(new URL("lint.config.yaml", root).pathname, true);
    const findings = ruleFiles.flatMap((f) => lintRuleGroups(readRuleGroups(f.content, true), `out/${f.path}`, "own", defaultOptions(allMetrics)));
    expect(ruleFiles).toHaveLength(ruleGroups.length);
    const open = applyExclusions(findings, config.exclusions).filter((f) => f.suppressed === undefined);
    expect(open.map((f) => `${f.location.join(" › ")}: ${f.rule}: ${f.message}`)).toEqual([]);
  });

  it("keeps the platform's alert count: the seed's nine and the platform's own", () => {
    const names = alertsYaml.map((r) => r.alert);
    for (const seed of [
      "HighServiceErrorRate",
      "CircuitBreakerTriggered",
      "HighRetryRate",
      "HighAuthenticationFailureRate",
      "RateLimitThresholdReached",
      "LowCacheHitRate",
      "HighConsumerLag",
      "FailedEventDeliveries",
      "KafkaBrokerDown",
    ])
      expect(names).toContain(seed);
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  it("documents every alert in the README's alert catalogue", () => {
    const readme = read("README.md");
    const missing = alertsYaml.map((r) => r.alert!).filter((name) => !new RegExp(`^\\| ${name} \\|`, "m").test(readme));
    expect(missing).toEqual([]);
  });

  it("links every alert to its own section of docs/runbooks.md", () => {
    const anchors = markdownAnchors(read("docs/runbooks.md"));
    for (const rule of alertsYaml) {
      const anchor = rule.alert!.toLowerCase();
      expect(rule.annotations?.runbook_url).toBe(runbookUrlFor(rule.alert!));
      expect(rule.annotations?.runbook_url?.endsWith(`#${anchor}`)).toBe(true);
      expect(anchors.has(anchor), `docs/runbooks.md has no section for ${rule.alert}`).toBe(true);
    }
  });

  it("links every alert to a panel of a platform dashboard", () => {
    for (const rule of alertsYaml) {
      expect(rule.annotations?.dashboard_url).toMatch(new RegExp(`^${buildConfig.grafanaUrl.replace(/\./g, "\\.")}/d/(service-mesh|api-gateway|events)\\?viewPanel=\\d+$`));
    }
  });
});

describe("the project-specific checks can fail", () => {
  it("a heading is an anchor only when it exists", () => {
    expect(markdownAnchors("# Runbooks\n## HighConsumerLag\n").has("highconsumerlag")).toBe(true);
    expect(markdownAnchors("# Runbooks\n## HighConsumerLag\n").has("kafkabrokerdown")).toBe(false);
  });
});
