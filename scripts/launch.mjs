// @ts-check
// npm run build: starts the type check at once, and meanwhile runs scripts/build.ts from an
// esbuild bundle cached by a hash of every input (tsx and the module graph cost most of a
// cold build otherwise). With inputs unchanged since the last build of the same output folder,
// and that folder still exactly what the build wrote, nothing is redone.
// Plain JavaScript: it is what runs before any TypeScript can.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CACHE_DIR, outDirOf, startTypeCheck } from "./build-support.mjs";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const cacheDir = join(repoRoot, CACHE_DIR);
const stateFile = join(cacheDir, "build-state.json");

/** Everything the build's result depends on. */
const INPUTS = ["package-lock.json", "tsconfig.json", "tsconfig.build.json", "build.config.ts", "lint.config.yaml", "catalogue", "dashboards", "alerts", "src", "scripts", "schema"];

/** @param {string} dir @returns {string[]} files under dir, sorted, `/`-separated and relative to it */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

/** @param {string | Buffer} data */
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

function inputHash() {
  const hash = createHash("sha256");
  for (const input of INPUTS) {
    const path = join(repoRoot, input);
    if (!existsSync(path)) continue;
    const files = input.includes(".") ? [input] : filesUnder(path).map((f) => `${input}/${f}`);
    for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(repoRoot, file))).update("\0");
  }
  // The bundle holds absolute paths (import.meta.url of our modules): a copy of the repository rebuilds it.
  hash.update(`${process.version}\0${repoRoot}`);
  return hash.digest("hex");
}

/** @param {string} dir @returns {Record<string, string>} path → sha256 of every file in the tree */
function treeHashes(dir) {
  return Object.fromEntries(filesUnder(dir).map((f) => [f, sha256(readFileSync(join(dir, f)))]));
}

/** @returns {{ inputHash: string, outDir: string, tree: Record<string, string> } | undefined} */
function readState() {
  try {
    return JSON.parse(readFileSync(stateFile, "utf8"));
  } catch {
    return undefined;
  }
}

/** True when outDir is exactly the tree the last build wrote from these inputs, with no leftovers beside it. */
function upToDate(/** @type {string} */ hash, /** @type {string} */ outDir) {
  const state = readState();
  if (!state || state.inputHash !== hash || state.outDir !== outDir || !existsSync(outDir)) return false;
  const leftover = readdirSync(dirname(outDir)).some((name) => name.startsWith(`.${basename(outDir)}-staging-`) || name === `.${basename(outDir)}-previous`);
  if (leftover) return false;
  const tree = treeHashes(outDir);
  const keys = Object.keys(state.tree);
  return keys.length === Object.keys(tree).length && keys.every((k) => tree[k] === state.tree[k]);
}

/** The bundle of `entry` for these inputs, built when not cached (see split-bundle.mjs). */
async function bundleFor(/** @type {string} */ entry, /** @type {string} */ hash) {
  const name = basename(entry, ".ts");
  const file = join(cacheDir, `${name}-${hash.slice(0, 16)}.mjs`);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  const { splitBundle } = await import("./split-bundle.mjs"); // not needed when nothing changed
  await splitBundle({ repoRoot, entry, outfile: partial, cacheDir });
  for (const old of readdirSync(cacheDir)) if (old.startsWith(`${name}-`) && old.endsWith(".mjs")) rmSync(join(cacheDir, old), { force: true });
  renameSync(partial, file);
  return file;
}

async function build(/** @type {string[]} */ argv) {
  const hash = inputHash();
  let outDir;
  try {
    outDir = outDirOf(argv, repoRoot);
  } catch {
    outDir = undefined; // bad usage: the build reports it
  }
  if (outDir && upToDate(hash, outDir)) {
    console.log(`${relative(process.cwd(), outDir) || "."}/ is up to date (no input changed since it was built)`);
    return 0;
  }
  const typeCheck = startTypeCheck(repoRoot);
  /** @type {typeof import("./build.ts")} */
  let entry;
  let self;
  try {
    self = pathToFileURL(await bundleFor("scripts/build.ts", hash));
    entry = await import(self.href);
  } catch (error) {
    await typeCheck; // never leave the compiler running behind an error
    throw error;
  }
  const { code } = await entry.main(argv, { repoRoot, typeCheck, self });
  if (code === 0 && outDir) {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${stateFile}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify({ inputHash: hash, outDir, tree: treeHashes(outDir) }));
    renameSync(partial, stateFile);
  }
  return code;
}

const [command, ...rest] = process.argv.slice(2);
if (command !== "build") {
  console.error("usage: node scripts/launch.mjs build [-- --out DIR]");
  process.exitCode = 2;
} else {
  process.exitCode = await build(rest);
}
