// --out never harms files: only a previous build output (recognised by its marker) is
// replaced, only the files it lists are deleted, and a kill at any step of the swap leaves a
// complete tree, or one the next build, push or lint restores first.

import { chmod, link, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateOutputs } from "../../src/pipeline/generate";
import { platformInput } from "../../scripts/platform";
import { MARKER_FILE, OutDirError } from "../../src/pipeline/out-dir";
import { recoverOutDir, writeOutputs } from "../../src/pipeline/write";
import { copyRepo, snapshot, type RepoCopy } from "../support/repo-copy";

const repo = new URL("../..", import.meta.url).pathname;
const files = generateOutputs(platformInput).files;

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), "obs-outdir-"));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function refused(outDir: string, message: RegExp): Promise<void> {
  const error = await writeOutputs(files, outDir, repo).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OutDirError);
  expect((error as Error).message).toMatch(message);
}

describe("what --out refuses, deleting nothing", () => {
  it("a folder holding someone else's files", async () => {
    const reports = join(tmp, "reports");
    await mkdir(join(reports, "2026"), { recursive: true });
    await writeFile(join(reports, "2026/q3.txt"), "keep me\n");
    const before = await snapshot(reports);
    await refused(reports, /reports is not empty and is not a previous build output/);
    expect(await snapshot(reports)).toEqual(before);
    expect(await readdir(tmp)).toEqual(["reports"]); // no staging left beside it
  });

  it("a file", async () => {
    const file = join(tmp, "notes.txt");
    await writeFile(file, "mine\n");
    await refused(file, /notes\.txt is not a folder/);
    expect(await readFile(file, "utf8")).toBe("mine\n");
  });

  it("a symbolic link, even to a previous build output", async () => {
    await writeOutputs(files, join(tmp, "real"), repo);
    await symlink(join(tmp, "real"), join(tmp, "link"));
    await refused(join(tmp, "link"), /link is a symbolic link/);
    expect((await lstat(join(tmp, "link"))).isSymbolicLink()).toBe(true);
  });

  it("a previous build output with a file the build did not write, named in the message", async () => {
    const out = join(tmp, "out");
    await writeOutputs(files, out, repo);
    await writeFile(join(out, "dashboards/my-notes.md"), "mine\n");
    await refused(out, /holds files the build did not write \(dashboards\/my-notes\.md\)/);
    expect(await readFile(join(out, "dashboards/my-notes.md"), "utf8")).toBe("mine\n");
  });

  it("a marker listing paths outside its folder is not a marker", async () => {
    const out = join(tmp, "out");
    await mkdir(out);
    await writeFile(join(tmp, "precious.txt"), "mine\n");
    await writeFile(join(out, MARKER_FILE), JSON.stringify({ generator: "254carbon-observability npm run build", files: ["../precious.txt"] }));
    await refused(out, /not a previous build output/);
    expect(await readFile(join(tmp, "precious.txt"), "utf8")).toBe("mine\n");
  });

  it("the repository itself, and any folder above it", async () => {
    await refused(repo, /is the repository or a folder above it/);
    await refused(dirname(repo.replace(/\/$/, "")), /is the repository or a folder above it/);
    await refused("/", /is the repository or a folder above it/);
  });
});

describe("what --out replaces", () => {
  it("a new, an empty, and a previous build's folder; 0755 folders and 0644 files; only listed files go", async () => {
    const out = join(tmp, "out");
    await writeOutputs(files, out, repo); // new
    await rm(join(tmp, "out"), { recursive: true });
    await mkdir(out, { mode: 0o700 });
    await writeOutputs(files, out, repo); // empty
    await writeOutputs(files.slice(1), out, repo); // previous output: one file fewer
    const tree = await snapshot(out);
    expect([...tree.keys()].sort()).toEqual([MARKER_FILE, ...files.slice(1).map((f) => f.path)].sort());
    expect((await stat(out)).mode & 0o777).toBe(0o755);
    const entries = await readdir(out, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      const mode = (await stat(join(entry.parentPath, entry.name))).mode & 0o777;
      expect(mode, entry.name).toBe(entry.isDirectory() ? 0o755 : 0o644);
    }
    expect(await readdir(tmp)).toEqual(["out"]);
  });

  it("a generated file merged in but not listed (identical to the build's) is replaced and leaves nothing beside", async () => {
    const out = join(tmp, "out");
    await writeOutputs(files.slice(1), out, repo);
    await mkdir(join(out, dirname(files[0]!.path)), { recursive: true });
    await writeFile(join(out, files[0]!.path), files[0]!.content);
    await writeOutputs(files, out, repo);
    await writeOutputs(files, out, repo);
    expect(await readdir(tmp)).toEqual(["out"]);
  });

  it("a rebuild writes the build's bytes over a previous output's edited file, even one of the same size", async () => {
    const out = join(tmp, "out");
    await writeOutputs(files, out, repo);
    const [edited, resized] = [files[0]!, files[1]!];
    await writeFile(join(out, edited.path), edited.content.replace(/[a-z]/, (c) => (c === "a" ? "b" : "a")));
    await writeFile(join(out, resized.path), `${resized.content} `);
    await writeOutputs(files, out, repo);
    const tree = await snapshot(out);
    for (const file of files) expect(tree.get(file.path), file.path).toBe(file.content);
  });

  it("a rebuild leaves alone a file that a previous output's file shares with another name (a hard link)", async () => {
    const out = join(tmp, "out");
    await writeOutputs(files, out, repo);
    const shared = files[0]!;
    const kept = join(tmp, "kept.json");
    await link(join(out, shared.path), kept);
    await chmod(kept, 0o600);
    await writeOutputs(files, out, repo);
    expect(await readFile(kept, "utf8")).toBe(shared.content);
    expect((await stat(kept)).mode & 0o777).toBe(0o600);
    expect((await stat(join(out, shared.path))).mode & 0o777).toBe(0o644);
    expect(await readFile(join(out, shared.path), "utf8")).toBe(shared.content);
  });

  it("stale staging folders and a finished swap's previous tree are cleaned", async () => {
    const out = join(tmp, "out");
    await writeOutputs(files, out, repo);
    await mkdir(join(tmp, ".out-staging-abc123"));
    await writeOutputs(files, join(tmp, ".out-previous"), repo);
    await writeOutputs(files, out, repo);
    expect(await readdir(tmp)).toEqual(["out"]);
  });

  it("a staging or previous folder holding foreign files keeps them", async () => {
    const out = join(tmp, "out");
    await writeOutputs(files, out, repo);
    await mkdir(join(tmp, ".out-staging-xyz"));
    await writeFile(join(tmp, ".out-staging-xyz/mine.txt"), "mine\n");
    const notes = await recoverOutDir(out);
    expect(notes.join("\n")).toMatch(/kept/);
    expect(await readFile(join(tmp, ".out-staging-xyz/mine.txt"), "utf8")).toBe("mine\n");
  });
});

describe("the CLI on a copy of the repository", () => {
  let copy: RepoCopy;
  beforeAll(async () => {
    copy = await copyRepo();
  });
  afterAll(async () => {
    await copy.remove();
  });

  it("refuses --out . and --out .. with a clear message, touching nothing", async () => {
    const before = await snapshot(copy.root);
    expect(before.size).toBeGreaterThan(100);
    for (const target of [".", ".."]) {
      const { code, stderr } = await copy.run(["scripts/launch.mjs", "build", "--out", target]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/is the repository or a folder above it: refusing to replace it/);
    }
    expect(await snapshot(copy.root)).toEqual(before);
  }, 120_000);

  it("refuses --out onto a file and a folder of foreign files", async () => {
    await writeFile(join(copy.root, "notes.txt"), "mine\n");
    await mkdir(join(copy.root, "reports"));
    await writeFile(join(copy.root, "reports/q3.csv"), "a,b\n");
    for (const [target, message] of [["notes.txt", /is not a folder/], ["reports", /is not empty and is not a previous build output/]] as const) {
      const { code, stderr } = await copy.run(["scripts/launch.mjs", "build", "--out", target]);
      expect(code).toBe(1);
      expect(stderr).toMatch(message);
    }
    expect(await readFile(join(copy.root, "notes.txt"), "utf8")).toBe("mine\n");
    expect(await readFile(join(copy.root, "reports/q3.csv"), "utf8")).toBe("a,b\n");
  }, 120_000);

  // Kills the build (SIGKILL) at each step of the swap of the copy's own out/; the tree must
  // be the old or the new one, or be restored to one of them by the next lint.
  let title = "254Carbon Event-Driven Architecture";
  for (const step of ["staged", "moved-aside", "swapped", "removing-previous"]) {
    it(`a kill at "${step}" leaves a complete out/`, async () => {
      const out = join(copy.root, "out");
      const old = await snapshot(out);
      await copy.edit("dashboards/event-system.ts", `title: "${title}"`, `title: "Events ${step}"`);
      title = `Events ${step}`;
      const killed = await copy.run(["scripts/launch.mjs", "build"], { OBS_TEST_CRASH_AT: step });
      expect(killed.signal).toBe("SIGKILL");

      const isNew = (tree: Map<string, string>) => [...tree.values()].some((text) => text.includes(`"Events ${step}"`));
      const complete = (tree: Map<string, string>) => JSON.stringify([...tree]) === JSON.stringify([...old]) || (isNew(tree) && tree.size === old.size);
      if (step === "moved-aside") {
        expect(existsSync(out)).toBe(false);
        expect(await snapshot(join(copy.root, ".out-previous"))).toEqual(old);
      } else {
        expect(complete(await snapshot(out))).toBe(true);
      }

      // The next lint restores or finishes first, then reads a complete tree.
      const lint = await copy.run(["node_modules/tsx/dist/cli.mjs", "scripts/lint.ts"]);
      expect(lint.stderr).not.toMatch(/not found; run `npm run build` first/);
      expect(complete(await snapshot(out))).toBe(true);
      expect((await readdir(copy.root)).filter((name) => name.startsWith(".out-"))).toEqual([]);
    }, 120_000);
  }

  it("after the kills, the next build writes the latest definitions", async () => {
    expect((await copy.run(["scripts/launch.mjs", "build"])).code).toBe(0);
    expect([...(await snapshot(join(copy.root, "out"))).values()].some((text) => text.includes(`"${title}"`))).toBe(true);
  }, 120_000);
});
