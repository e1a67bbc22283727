// A throw-away copy of the repository (sources, out/, config; node_modules linked), so a test
// can break a definition, run the real commands on it and watch what happens to its out/.

import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

const repo = new URL("../..", import.meta.url).pathname;
const COPIED = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "build.config.ts", "lint.config.yaml", "catalogue", "dashboards", "alerts", "src", "scripts", "schema", "out", "test"];

export interface RepoCopy {
  readonly root: string;
  /** Runs `node args` in the copy; never throws: exit code, signal and output. */
  run(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
  /** Replaces `from` by `to` in a file of the copy; throws when `from` is not there. */
  edit(file: string, from: string, to: string): Promise<void>;
  remove(): Promise<void>;
}

export async function copyRepo(): Promise<RepoCopy> {
  const root = await mkdtemp(join(tmpdir(), "obs-repo-"));
  for (const entry of COPIED) await cp(join(repo, entry), join(root, entry), { recursive: true });
  await symlink(join(repo, "node_modules"), join(root, "node_modules"));
  return {
    root,
    async run(args, env = {}) {
      return new Promise((resolve) => {
        execFile(process.execPath, [...args], { cwd: root, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
          const failure = error as (Error & { code?: number | string; signal?: string }) | null;
          resolve({ code: failure ? (typeof failure.code === "number" ? failure.code : null) : 0, signal: failure?.signal ?? null, stdout, stderr });
        });
      });
    },
    async edit(file, from, to) {
      const path = join(root, file);
      const text = await readFile(path, "utf8");
      if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
      await writeFile(path, text.replace(from, to));
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * Every file under `dir` with its content, for byte-for-byte comparisons of trees; links
 * (node_modules) and the build's own cache (.cache/) are left out.
 */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && !relative(dir, e.parentPath).split(sep).includes(".cache")).map((e) => join(e.parentPath, e.name));
  return new Map(await Promise.all(files.map(async (f) => [relative(dir, f).split(sep).join("/"), await readFile(f, "utf8")] as const)));
}
