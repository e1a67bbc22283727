// The README's "Adding a panel" example, pasted verbatim into a copy of the repository where the
// README says to paste it: the copy must type-check, build and lint clean, and the new panel must
// take its id from its key while every other panel keeps its id. So the README cannot rot.

import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { derivedPanelId } from "../../src/kit/dashboard";
import type { DashboardJson } from "../../src/model/dashboard";

const run = promisify(execFile);
const repo = new URL("../..", import.meta.url).pathname;

interface Example {
  /** The definition file the section names, e.g. dashboards/api-gateway.ts. */
  readonly file: string;
  readonly code: string;
  readonly key: string;
  readonly title: string;
}

/** The section's first `ts` block, the dashboard file it names, and the panel key and title it adds. */
function extractExample(readme: string): Example {
  const section = /^## Adding a panel\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (!section) throw new Error('README.md has no "## Adding a panel" section');
  const file = /`(dashboards\/[\w-]+\.ts)`/.exec(section)?.[1];
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const key = code && /^\s*(\w+):/.exec(code)?.[1];
  const title = code && /title: "([^"]+)"/.exec(code)?.[1];
  if (!file || !code || !key || !title) throw new Error("the Adding a panel section lacks a dashboards/*.ts file name or a ts block with a keyed, titled panel");
  return { file, code, key, title };
}

/** Pastes `code` as the last entry of the definition's `panels: { ... }`. */
function paste(definition: string, code: string, file: string): string {
  const start = definition.indexOf("\n  panels: {\n");
  const end = definition.indexOf("\n  },\n", start);
  if (start < 0 || end < 0) throw new Error(`${file} has no top-level "panels: {" block`);
  return definition.slice(0, end + 1) + code + definition.slice(end + 1);
}

const panelsOf = async (dir: string, uid: string) => (JSON.parse(await readFile(join(dir, "out/dashboards", `${uid}.json`), "utf8")) as DashboardJson).panels;

describe("README: Adding a panel", () => {
  let copy: string;
  let example: Example;

  beforeAll(async () => {
    example = extractExample(await readFile(join(repo, "README.md"), "utf8"));
    copy = await mkdtemp(join(tmpdir(), "obs-readme-"));
    await cp(repo, copy, { recursive: true, filter: (src) => !/\/(node_modules|\.git)$/.test(src) });
    await symlink(join(repo, "node_modules"), join(copy, "node_modules"));
    const target = join(copy, example.file);
    await writeFile(target, paste(await readFile(target, "utf8"), example.code, example.file));
  });
  afterAll(async () => {
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it("type-checks, builds and lints clean when pasted verbatim", async () => {
    for (const script of ["typecheck", "build", "lint"]) {
      const result = await run("npm", ["run", "-s", script], { cwd: copy }).catch((error: { stdout: string; stderr: string }) => error);
      expect("code" in result ? `${result.stdout}\n${result.stderr}` : "", `npm run ${script}`).toBe("");
    }
  }, 300_000);

  it("adds the panel with the id derived from its key, and moves no other panel id", async () => {
    const uid = /uid: "([\w-]+)"/.exec(await readFile(join(repo, example.file), "utf8"))?.[1] ?? "";
    const before = await panelsOf(repo, uid);
    const after = await panelsOf(copy, uid);
    expect(after.find((p) => p.title === example.title)?.id).toBe(derivedPanelId(example.key));
    expect(after.filter((p) => p.title !== example.title).map((p) => [p.title, p.id])).toEqual(before.map((p) => [p.title, p.id]));
  });
});
