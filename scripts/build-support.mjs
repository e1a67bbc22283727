// @ts-check
// What the build launcher (scripts/launch.mjs) shares with scripts/build.ts: the command line,
// the cache folder and the type check. Plain JavaScript so the launcher can use it before any
// TypeScript is loaded.

import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs, stripVTControlCharacters } from "node:util";

export const CACHE_DIR = ".cache/build";
export const USAGE = "usage: npm run build [-- --out DIR]";

/**
 * The output folder named on the command line, or out/ in the repository. Throws on bad usage.
 * @param {readonly string[]} argv
 * @param {string} repoRoot
 */
export function outDirOf(argv, repoRoot) {
  const { values } = parseArgs({ args: [...argv], options: { out: { type: "string" } }, strict: true });
  return resolve(values.out ?? resolve(repoRoot, "out"));
}

/**
 * The esbuild options every bundle of our TypeScript entry points shares (the build launcher,
 * bench:scale), so a bundle runs as the sources do under tsx.
 * @type {import("esbuild").BuildOptions}
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "error",
  // ES module builds first: some packages' CommonJS builds (jsonc-parser's UMD) require() by computed paths.
  mainFields: ["module", "main"],
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

/**
 * esbuild plugin: our modules keep their own import.meta.url inside a bundle (scripts/platform.ts
 * finds lint.config.yaml by it), instead of the bundle's.
 * @param {string} repoRoot
 * @returns {import("esbuild").Plugin}
 */
export function ownImportMetaUrl(repoRoot) {
  const escaped = repoRoot.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const ours = new RegExp(`^${escaped}(scripts|src|catalogue|dashboards|alerts)/.*\\.ts$`);
  return {
    name: "own-import-meta-url",
    setup(b) {
      b.onLoad({ filter: ours }, (args) => ({
        contents: readFileSync(args.path, "utf8").replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
        loader: "ts",
      }));
    },
  };
}

/**
 * TypeScript 7's native tsc executable (what typescript@7's own bin/tsc runs). The package is
 * installed as `typescript-native`: `typescript` is 5.x for the tools that need its JavaScript API.
 * @param {string} repoRoot
 */
export function compilerPath(repoRoot) {
  const require = createRequire(join(repoRoot, "package.json"));
  const platformPackage = `@typescript/typescript-${process.platform}-${process.arch}/package.json`;
  return join(dirname(require.resolve(platformPackage)), "lib", process.platform === "win32" ? "tsc.exe" : "tsc");
}

/**
 * Starts the type check of `project` (relative to repoRoot). Resolves with ok and the
 * compiler's report (file:line:column, the mismatch and the code), coloured only for a terminal.
 * @param {string} repoRoot
 * @param {string} [project]
 * @returns {Promise<{ ok: boolean, output: string }>}
 */
export function startTypeCheck(repoRoot, project = "tsconfig.build.json") {
  const buildInfo = join(CACHE_DIR, `${project.replace(/\.json$/, "")}.tsbuildinfo`);
  const args = ["-p", project, "--incremental", "--tsBuildInfoFile", buildInfo, "--pretty"];
  return new Promise((resolve) => {
    execFile(compilerPath(repoRoot), args, { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim() || (error ? `type check could not run: ${error.message}` : "");
      resolve({ ok: !error, output: process.stderr.isTTY ? output : stripVTControlCharacters(output) });
    });
  });
}
