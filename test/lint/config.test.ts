// lint.config.yaml parsing and suppression matching.

import { describe, expect, it } from "vitest";
import { applyExclusions, ConfigError, parseConfig } from "../../src/lint/config";
import type { Finding } from "../../src/lint/types";

const finding: Finding = {
  file: "out/dashboards/events.json",
  location: ["Event System", "Broker count", "A"],
  rule: "panel-units",
  severity: "error",
  message: "stat panel has no unit",
  scope: { dashboard: ["Event System", "events"], panel: ["Broker count", "7"] },
};

describe("lint.config.yaml", () => {
  it("reads scrape interval, own globs and exclusions", () => {
    const c = parseConfig("scrapeInterval: 15s\nown: ['gen/**']\nexclusions:\n  - { rule: panel-units, panel: 7, reason: a count }\n", "c.yaml");
    expect(c.scrapeIntervalMs).toBe(15_000);
    expect(c.own).toEqual(["gen/**"]);
    expect(c.exclusions).toEqual([{ rule: "panel-units", panel: "7", reason: "a count" }]);
  });

  it("rejects unknown keys, missing reasons and unsuppressible rules, all at once", () => {
    expect(() => parseConfig("bogus: 1\nexclusions:\n  - { rule: types }\n", "c.yaml")).toThrow(ConfigError);
    try {
      parseConfig("bogus: 1\nexclusions:\n  - { rule: types }\n", "c.yaml");
    } catch (e) {
      expect((e as Error).message).toContain("unknown key bogus");
      expect((e as Error).message).toContain("exclusions[0].reason is required");
      expect((e as Error).message).toContain("rule types cannot be suppressed");
    }
  });

  it("matches by file glob, dashboard uid or title, panel id or title", () => {
    const hit = (e: object) => applyExclusions([finding], [{ rule: "panel-units", reason: "r", ...e }])[0]!.suppressed;
    expect(hit({ file: "out/dashboards/*.json" })).toBe("r");
    expect(hit({ dashboard: "events", panel: "7" })).toBe("r");
    expect(hit({ dashboard: "Event System", panel: "Broker count" })).toBe("r");
    expect(hit({ panel: "Other" })).toBeUndefined();
    expect(hit({ file: "out/prometheus/**" })).toBeUndefined();
    expect(applyExclusions([finding], [{ rule: "panel-title-description", reason: "r" }])[0]!.suppressed).toBeUndefined();
  });
});
