// Every rule id the linter can emit is documented in docs/lint-rules.md.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../src/lint");

function sources(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[]).filter((f) => f.endsWith(".ts")).map((f) => readFileSync(join(dir, f), "utf8"));
}

describe("docs/lint-rules.md", () => {
  it("explains every rule id used in src/lint", () => {
    const ids = new Set<string>();
    const calls = /(?:ctx\.report|(?<![.\w])(?:report|add|addPanel|addGroup))\(\s*"([a-z][a-z0-9-]*)"|rule: "([a-z][a-z0-9-]*)"/g;
    for (const text of sources(SRC)) for (const m of text.matchAll(calls)) ids.add((m[1] ?? m[2])!);
    expect(ids.size).toBeGreaterThan(30);
    const docs = readFileSync(join(import.meta.dirname, "../../docs/lint-rules.md"), "utf8");
    const undocumented = [...ids].filter((id) => !docs.includes(`| \`${id}\` |`));
    expect(undocumented).toEqual([]);
  });
});
