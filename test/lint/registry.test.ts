// Invariants over the rule registry: every rule's cases behave, every id lives in one file,
// the docs are generated from it, and no check is a copy of another.

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintDashboard } from "../../src/lint/dashboard";
import { allMetrics } from "../../catalogue/metrics";
import { defaultOptions } from "../../src/lint/options";
import { lintQuery } from "../../src/lint/promql/lint";
import { PROFILES, type LintRule, type RuleCase, type DashboardCase, type QueryCase } from "../../src/lint/rule";
import { lintRulesDoc } from "../../src/lint/rules-doc";
import { exampleDashboard } from "../../src/lint/rules/dashboard/example";
import { REGISTRY } from "../../src/lint/rules/index";
import { exampleGroups } from "../../src/lint/rules/rule/example";
import { lintRuleGroups } from "../../src/lint/rules-file";

const ROOT = join(import.meta.dirname, "../..");
const options = defaultOptions(allMetrics);

/** The ids of the findings a case produces, linted with every rule on (strict). */
function findingsOf(rule: LintRule, c: QueryCase | DashboardCase | RuleCase): string[] {
  switch (rule.scope) {
    case "query": {
      const q = c as QueryCase;
      return lintQuery(q.expr, { mode: q.mode ?? "rule", profile: "strict" }, options).findings.map((f) => f.rule.id);
    }
    case "dashboard":
      return lintDashboard(exampleDashboard(c as DashboardCase), { file: "case.json", profile: "strict" }, options).map((f) => f.rule);
    default:
      return lintRuleGroups([{ groups: exampleGroups(c as RuleCase), origin: "rules" }], "case.yaml", "strict", options).map((f) => f.rule);
  }
}

describe("the rule registry", () => {
  it("has unique ids, a class and a severity for every profile", () => {
    const ids = REGISTRY.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of REGISTRY) for (const p of PROFILES) expect(["error", "warning", "off"]).toContain(r.severity[p]);
    // Style rules are off on others' files; correctness rules never are.
    for (const r of REGISTRY) expect(r.severity.foreign === "off").toBe(r.class === "style");
  });

  it("the example dashboard and rule group are clean in every profile", () => {
    for (const profile of PROFILES) {
      expect(lintDashboard(exampleDashboard(), { file: "example.json", profile }, options)).toEqual([]);
      expect(lintRuleGroups([{ groups: exampleGroups(), origin: "rules" }], "example.yaml", profile, options)).toEqual([]);
    }
  });

  for (const rule of REGISTRY.filter((r) => r.scope !== "run")) {
    it(`${rule.id}: every bad case trips it, no good case does`, () => {
      expect(rule.cases.bad.length).toBeGreaterThan(0);
      expect(rule.cases.good.length).toBeGreaterThan(0);
      for (const c of rule.cases.bad) expect(findingsOf(rule, c), JSON.stringify(c).slice(0, 300)).toContain(rule.id);
      for (const c of rule.cases.good) expect(findingsOf(rule, c), JSON.stringify(c).slice(0, 300)).not.toContain(rule.id);
    });
  }

  it("internal: a check that throws becomes a finding naming the rule, and the other rules still run", () => {
    const broken: LintRule = { ...REGISTRY.find((r) => r.id === "nan-in-agg")!, id: "broken", check: () => { throw new Error("boom"); } } as LintRule;
    const rules = [broken, ...REGISTRY];
    const r = lintQuery("sum(rate(kong_http_requests_total[5m]) / 2) > bool 1", { mode: "rule", profile: "own" }, { ...options, rules });
    expect(r.findings.map((f) => [f.rule.id, f.message])).toEqual([["internal", "linter failed in rule broken: boom"], ["nan-in-agg", expect.any(String)]]);
  });

  it("each rule id appears as a string literal in exactly one source file", () => {
    const files = (readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" }) as string[]).filter((f) => f.endsWith(".ts"));
    const texts = files.map((f) => [f, readFileSync(join(ROOT, "src", f), "utf8")] as const);
    for (const { id } of REGISTRY) {
      const holders = texts.filter(([, text]) => text.includes(`"${id}"`) || text.includes(`'${id}'`)).map(([f]) => f);
      expect(holders, id).toHaveLength(1);
    }
  });

  it("docs/lint-rules.md is generated from the registry (run `npm run docs` when this fails)", () => {
    expect(readFileSync(join(ROOT, "docs/lint-rules.md"), "utf8")).toBe(lintRulesDoc());
  });
});

describe("no check is a copy of another (jscpd 5.3.2, pinned)", () => {
  const jscpd = (dirs: string[]) => {
    const out = mkdtempSync(join(tmpdir(), "jscpd-"));
    try {
      const r = spawnSync(join(ROOT, "node_modules/.bin/jscpd"), ["--min-tokens", "40", "--reporters", "json", "--output", out, "--silent", ...dirs], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(join(out, "jscpd-report.json"), "utf8")) as { duplicates: { firstFile: { name: string }; secondFile: { name: string } }[] };
      return report.duplicates.map((d) => `${d.firstFile.name} ~ ${d.secondFile.name}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };

  it("finds a planted copy (the detector works here)", () => {
    const dir = mkdtempSync(join(tmpdir(), "clone-"));
    try {
      cpSync(join(ROOT, "src/lint/rules/rule/alert-always-firing.ts"), join(dir, "a.ts"));
      cpSync(join(ROOT, "src/lint/rules/rule/alert-always-firing.ts"), join(dir, "b.ts"));
      expect(jscpd([dir]).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("finds none between the lint rules, the validators and the compilers", () => {
    expect(jscpd(["src/lint", "src/validate", "src/compile"].map((d) => join(ROOT, d)))).toEqual([]);
  }, 60_000);
});
