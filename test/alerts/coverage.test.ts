// Every alert has promtool proof both ways: a case where it fires and one where it stays silent.
// A hand-written unit case (exact labels and annotations), or an incident scenario that must
// detect it (test/incidents: annotations checked against the definition, silence in the healthy baseline).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ruleGroups } from "../../alerts/index";
import { promtoolTestDir, promtoolTestFiles } from "./support/generated";
import { scenarios } from "../incidents/scenarios";

interface AlertRuleTest {
  readonly alertname: string;
  readonly exp_alerts?: readonly unknown[] | null;
}
interface PromtoolTestFile {
  readonly rule_files: readonly string[];
  readonly tests: readonly { readonly alert_rule_test?: readonly AlertRuleTest[] }[];
}

const files = promtoolTestFiles().map((name) => ({
  name,
  content: parse(readFileSync(join(promtoolTestDir, name), "utf8")) as PromtoolTestFile,
}));
const cases = files.flatMap((f) => f.content.tests.flatMap((t) => t.alert_rule_test ?? []));
const alertNames = ruleGroups.flatMap((g) => g.alerts.map((a) => a.name));

describe("promtool unit test coverage", () => {
  it("has a test file per rule group, reading that group's generated rule file", () => {
    expect(files.map((f) => f.name)).toEqual(ruleGroups.map((g) => `${g.name}.test.yaml`).sort());
    for (const { name, content } of files) {
      expect(content.rule_files).toEqual([`../prometheus/${name.replace(/\.test\.yaml$/, "")}.rules.yaml`]);
    }
  });

  const detectedInIncidents = new Set(scenarios.flatMap((s) => s.fires.map((d) => d.alert.name)));

  it.each(alertNames)("%s has a firing case and a silent case", (name) => {
    const mine = cases.filter((c) => c.alertname === name);
    if (mine.length === 0) {
      expect(detectedInIncidents.has(name), "no unit case: an incident scenario must detect it").toBe(true);
      return;
    }
    expect(mine.some((c) => (c.exp_alerts ?? []).length > 0), "firing case").toBe(true);
    expect(mine.some((c) => (c.exp_alerts ?? []).length === 0), "silent case").toBe(true);
  });

  it("tests no alert that is not defined", () => {
    const unknown = [...new Set(cases.map((c) => c.alertname))].filter((n) => !alertNames.includes(n));
    expect(unknown).toEqual([]);
  });
});
