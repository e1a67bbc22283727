// The project's own generated output lints clean with the repository's lint.config.yaml:
// no errors, no warnings, and every suppression carries its reason.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultOptions, defaultTargets, lintFiles, loadConfig } from "../../src/lint";
import { allMetrics } from "../../catalogue/metrics";
import { platformInput } from "../../scripts/platform";

const root = new URL("../..", import.meta.url).pathname;

describe("npm run lint on out/", () => {
  const config = loadConfig(join(root, "lint.config.yaml"), true);
  const result = lintFiles({
    paths: defaultTargets(root),
    discovered: true,
    root,
    config,
    options: defaultOptions(allMetrics, { scrapeIntervalMs: config.scrapeIntervalMs }),
  });

  it("reads every dashboard and rule file the build writes", () => {
    expect(result.inputErrors).toEqual([]);
    // Each dashboard, and each rule group twice: a plain rule file and a PrometheusRule resource.
    expect(result.files).toBe(platformInput.dashboards.length + 2 * platformInput.ruleGroups.length);
  });

  it("finds nothing unsuppressed, warnings included", () => {
    const open = result.findings.filter((f) => !f.suppressed).map((f) => `${f.file}: ${f.location.join(" › ")}: ${f.rule}: ${f.message}`);
    expect(open).toEqual([]);
  });

  it("suppresses only what lint.config.yaml names, with its reason", () => {
    const suppressed = result.findings.filter((f) => f.suppressed !== undefined);
    for (const finding of suppressed) {
      expect(config.exclusions.some((e) => e.rule === finding.rule && e.reason === finding.suppressed)).toBe(true);
    }
  });
});
