// `npm run dev` as a developer uses it, in a copy of the repository: a save rebuilds and says
// which panel changed, a type error keeps the last good out/, Ctrl-C leaves nothing behind,
// and --push sends preview copies (own uids, no managed tag) to a development Grafana only.

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANAGED_TAG } from "../../src/grafana/plan";
import { previewUid } from "../../scripts/dev-changes";
import { GrafanaDouble } from "../push/grafana-double";
import { copyRepo, snapshot, type RepoCopy } from "../support/repo-copy";

const FILE = "dashboards/event-system.ts";

/** A running `npm run dev` whose output can be awaited line by line. */
function startDev(copy: RepoCopy, args: readonly string[] = [], env: Readonly<Record<string, string>> = {}) {
  const child: ChildProcess = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/dev.ts", ...args], {
    cwd: copy.root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    /** Resolves when the output after `from` matches `pattern`. */
    async waitFor(pattern: RegExp, from = 0, timeoutMs = 90_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = pattern.exec(output.slice(from));
        if (match) return output.slice(from);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${pattern}; output:\n${output}`);
    },
  };
}

describe("npm run dev", () => {
  let copy: RepoCopy;
  beforeAll(async () => {
    copy = await copyRepo();
  });
  afterAll(async () => {
    await copy.remove();
  });

  it("reports the changed panel, keeps out/ on a type error, and leaves nothing behind on Ctrl-C", async () => {
    const dev = startDev(copy);
    await dev.waitFor(/built \d+ files/);
    let mark = dev.output().length;
    await copy.edit(FILE, 'title: "Consumer Lag by Topic"', 'title: "Consumer Lag per Topic"');
    const report = await dev.waitFor(/dashboard events: panels changed "Consumer Lag per Topic"/, mark);
    expect(report).toMatch(/type check passed \d+ ms after save; out\/ written \d+ ms after it; report \d+ ms after save/);
    expect(await readFile(join(copy.root, "out/dashboards/events.json"), "utf8")).toContain('"Consumer Lag per Topic"');

    const good = await snapshot(join(copy.root, "out"));
    mark = dev.output().length;
    await copy.edit(FILE, 'outcome: "delivered" }', 'outcom: "delivered" }');
    const failed = await dev.waitFor(/type check failed; out\/ kept as it was[\s\S]*dashboards\/event-system\.ts:\d+:\d+ - error TS/, mark);
    expect(failed).not.toMatch(/written/);
    expect(await snapshot(join(copy.root, "out"))).toEqual(good);
    await copy.edit(FILE, 'outcom: "delivered" }', 'outcome: "delivered" }');
    await dev.waitFor(/no output changed|dashboard events/, mark + failed.length);

    dev.child.kill("SIGINT");
    expect(await dev.exited).toBe(0);
    expect(existsSync(join(copy.root, ".cache/dev"))).toBe(false);
    expect((await readdir(copy.root)).filter((name) => name.startsWith(".out-"))).toEqual([]);
    expect(await snapshot(join(copy.root, "out"))).toEqual(good);
  }, 240_000);

  it("type-checks what an editor does to files: a save that replaces the file, a new file, a removed one", async () => {
    const dev = startDev(copy);
    await dev.waitFor(/built \d+ files/);
    const path = join(copy.root, FILE);
    const good = await readFile(path, "utf8");
    // Save by writing a temporary file and renaming it over the definition (JetBrains' "safe write").
    let mark = dev.output().length;
    await writeFile(`${path}.tmp`, good.replace('outcome: "delivered" }', 'outcom: "delivered" }'));
    await rename(`${path}.tmp`, path);
    const failed = await dev.waitFor(/type check failed; out\/ kept as it was[\s\S]*dashboards\/event-system\.ts:\d+:\d+ - error TS\d+: .*'outcom'/, mark);
    // The same places and codes as the compiler's command line gives for the file on disk.
    const cli = await copy.run(["scripts/tsc.mjs", "-p", "tsconfig.build.json", "--pretty", "false"]);
    const places = [...cli.stdout.matchAll(/^(\S+)\((\d+),(\d+)\): error (TS\d+)/gm)].map(([, file, line, column, code]) => `${file}:${line}:${column} - error ${code}`);
    expect(places.length).toBeGreaterThan(0);
    for (const place of places) expect(failed).toContain(place);
    mark = dev.output().length;
    await writeFile(`${path}.tmp`, good);
    await rename(`${path}.tmp`, path);
    await dev.waitFor(/no output changed|dashboard events/, mark);

    const added = join(copy.root, "dashboards/scratch.ts");
    mark = dev.output().length;
    await writeFile(added, 'export const limit: number = "ten";\n');
    await dev.waitFor(/type check failed[\s\S]*dashboards\/scratch\.ts:1:14 - error TS2322/, mark);
    mark = dev.output().length;
    await rm(added);
    await dev.waitFor(/no output changed|dashboard events/, mark);

    dev.child.kill("SIGINT");
    expect(await dev.exited).toBe(0);
    // Every check above came from the long-running checker, not the fallback to a compiler per save.
    expect(dev.output()).not.toMatch(/type checker failed/);
  }, 240_000);

  it("--push is refused against the production Grafana of build.config.ts", async () => {
    const dev = startDev(copy, ["--push"], { GRAFANA_URL: "https://grafana.254carbon.com/", GRAFANA_TOKEN: "glsa_dev_token_0123456789abcdef" });
    expect(await dev.exited).toBe(2);
    expect(dev.output()).toMatch(/refusing --push: GRAFANA_URL is the production Grafana/);
    expect(dev.output()).not.toContain("glsa_dev_token");
  }, 120_000);

  it("--push sends changed dashboards as preview copies: dev-<user>- uids of at most 40 characters, no managed tag", async () => {
    const grafana = await new GrafanaDouble().start();
    try {
      const dev = startDev(copy, ["--push"], { GRAFANA_URL: grafana.url, GRAFANA_TOKEN: grafana.options.token!, USER: "alice" });
      await dev.waitFor(/preview http:\/\/127\.0\.0\.1:\d+\/d\/dev-alice-events/);
      const mark = dev.output().length;
      await copy.edit(FILE, 'title: "Consumer Lag per Topic"', 'title: "Consumer Lag by Topic"');
      await dev.waitFor(/preview .*dev-alice-events/, mark);
      dev.child.kill("SIGINT");
      expect(await dev.exited).toBe(0);

      expect([...grafana.dashboards.keys()].sort()).toEqual(["dev-alice-api-gateway", "dev-alice-events", "dev-alice-service-mesh"]);
      for (const stored of grafana.dashboards.values()) {
        expect(stored.folderUid).toBe("dev-alice");
        expect(stored.dashboard.tags).not.toContain(MANAGED_TAG);
      }
      expect(grafana.dashboards.get("dev-alice-events")!.history).toHaveLength(2);
    } finally {
      await grafana.stop();
    }
  }, 240_000);

  it("preview uids stay within 40 characters and distinct", () => {
    const long = ["a".repeat(40), `${"a".repeat(39)}b`];
    const uids = long.map((uid) => previewUid(uid, "someone"));
    for (const uid of uids) expect(uid.length).toBeLessThanOrEqual(40);
    expect(uids[0]).toMatch(/^dev-someone-/);
    expect(new Set(uids).size).toBe(2);
    expect(previewUid("events", "alice")).toBe("dev-alice-events");
  });
});
