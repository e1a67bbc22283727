// `npm run build` runs cached bundles (our TypeScript, and a vendor file of packages and the
// generated validators): a change to any file they were made from must reach the next build.

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyRepo, snapshot, type RepoCopy } from "../support/repo-copy";

describe("the build's bundle cache", () => {
  let copy: RepoCopy;
  beforeAll(async () => {
    copy = await copyRepo();
    const first = await copy.run(["scripts/launch.mjs", "build"]);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: "" });
  }, 120_000);
  afterAll(async () => {
    await copy.remove();
  });

  it("a regenerated validator (vendored JavaScript of ours) takes effect in the next build", async () => {
    const validator = join(copy.root, "schema/dashboard.validate.js");
    const generated = await readFile(validator, "utf8");
    const before = await snapshot(join(copy.root, "out"));
    await writeFile(
      validator,
      `const validate = () => { validate.errors = [{ instancePath: "/title", message: "rejected by the test's validator" }]; return false; };\nexport { validate };\nexport default validate;\n`,
    );
    const refused = await copy.run(["scripts/launch.mjs", "build"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/schema: \/title rejected by the test's validator/);
    expect(await snapshot(join(copy.root, "out"))).toEqual(before);

    await writeFile(validator, generated);
    const again = await copy.run(["scripts/launch.mjs", "build"]);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: "" });
    expect(await snapshot(join(copy.root, "out"))).toEqual(before);
  }, 120_000);

  it("a change to our TypeScript takes effect in the next build", async () => {
    const file = join(copy.root, "dashboards/event-system.ts");
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace('title: "Consumer Lag by Topic"', 'title: "Consumer Lag per Topic"'));
    const built = await copy.run(["scripts/launch.mjs", "build"]);
    expect({ code: built.code, stderr: built.stderr }).toEqual({ code: 0, stderr: "" });
    expect(await readFile(join(copy.root, "out/dashboards/events.json"), "utf8")).toContain('"Consumer Lag per Topic"');
  }, 120_000);
});
