// `npm run build` type-checks every definition before writing: each mistake below, made in a
// copy of the repository as a newcomer would make it, fails the build with the compiler's
// file:line:column report and leaves out/ byte-identical.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyRepo, snapshot, type RepoCopy } from "../support/repo-copy";

const FILE = "dashboards/event-system.ts";

/** One-line mistakes in the Event System dashboard, each a type error. */
const mistakes: readonly { name: string; from: string; to: string; says: RegExp }[] = [
  {
    name: "a label the metric does not have",
    from: 'outcome: "delivered" }',
    to: 'outcom: "delivered" }',
    says: /outcom/,
  },
  {
    name: "`by` a label the input does not have",
    from: '{ by: ["event_type"] }), {',
    to: '{ by: ["event_typo"] }), {',
    says: /event_typo/,
  },
  {
    name: "rate() of a gauge",
    from: "sum(current(m.kafka_log_log_size, topics)",
    to: "sum(rate(m.kafka_log_log_size, topics)",
    says: /kafka_log_log_size|gauge|counter/,
  },
  {
    name: "a legend naming a label the aggregation dropped",
    from: "legend: (l) => l.event_type,",
    to: "legend: (l) => l.topic,",
    says: /topic/,
  },
  {
    name: "a misspelled metric",
    from: "rate(m.carbon_events_produced_total, { ...topics",
    to: "rate(m.carbon_events_producd_total, { ...topics",
    says: /Property 'carbon_events_producd_total' does not exist/,
  },
];

describe("type-checked build", () => {
  const copies: RepoCopy[] = [];
  afterAll(async () => {
    await Promise.all(copies.map((c) => c.remove()));
  });

  // All copies build at once: each type check is a separate compiler process.
  const results = new Map<string, Promise<{ code: number | null; stderr: string; before: Map<string, string>; after: Map<string, string> }>>();
  beforeAll(() => {
    for (const mistake of mistakes) {
      results.set(
        mistake.name,
        (async () => {
          const copy = await copyRepo();
          copies.push(copy);
          await copy.edit(FILE, mistake.from, mistake.to);
          const before = await snapshot(`${copy.root}/out`);
          const { code, stderr } = await copy.run(["scripts/launch.mjs", "build"]);
          return { code, stderr, before, after: await snapshot(`${copy.root}/out`) };
        })(),
      );
    }
  });

  for (const mistake of mistakes) {
    it(`${mistake.name}: fails with the compiler's file:line:column message, out/ untouched`, async () => {
      const { code, stderr, before, after } = await results.get(mistake.name)!;
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`${FILE.replace(/[./]/g, "\\$&")}:\\d+:\\d+ - error TS\\d+`));
      expect(stderr).toMatch(mistake.says);
      expect(stderr).toMatch(/type check failed: out\/ was left unchanged/);
      expect(stderr).not.toMatch(/TypeError|at .*\.mjs:\d+/); // no raw crash under the report
      expect(after).toEqual(before);
    }, 120_000);
  }

  it("the unbroken copy builds (so the failures above are the mistakes')", async () => {
    const copy = await copyRepo();
    copies.push(copy);
    const before = await snapshot(`${copy.root}/out`);
    const { code, stdout, stderr } = await copy.run(["scripts/launch.mjs", "build"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/^built \d+ dashboards/);
    expect(await snapshot(`${copy.root}/out`)).toEqual(before);
    const again = await copy.run(["scripts/launch.mjs", "build"]);
    expect(again.stdout).toMatch(/out\/ is up to date/);
  }, 120_000);
});
