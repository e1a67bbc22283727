// @ts-check
// The build's bundle in two files: the repository's TypeScript (~0.3 MB), bundled again after
// every change, and everything else it imports (packages, the generated schema validators,
// ~2.2 MB), bundled once and imported by the first. Re-bundling only our own code takes esbuild
// a fraction of the time of the whole (0.12 s against 0.9 s, same run, busy machine); one vendor
// file keeps Node from resolving and loading the packages' files one by one.

import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { BUNDLE_OPTIONS, ownImportMetaUrl } from "./build-support.mjs";

/**
 * What the vendor file holds: its name, the key it was built for, and each module's export
 * names. A module is a package specifier ("yaml") or a file of ours ("./schema/x.validate.js").
 * @typedef {{ file: string, key: string, modules: Record<string, string[]> }} Vendor
 */

const MANIFEST = "vendor.json";
const isLocal = (/** @type {string} */ key) => key.startsWith("./");

/**
 * Everything a vendor file's content depends on: Node and esbuild, the installed packages (by
 * package-lock.json), how we bundle, the module list and the content of vendored files of our own
 * (the generated validators).
 * @param {string} repoRoot @param {readonly string[]} keys @param {string} esbuildVersion
 */
function vendorKey(repoRoot, keys, esbuildVersion) {
  const hash = createHash("sha256").update(`${process.version}\0${esbuildVersion}\0${repoRoot}\0`);
  for (const file of ["package-lock.json", "scripts/build-support.mjs", "scripts/split-bundle.mjs", "scripts/vendor-loader.mjs"]) hash.update(readFileSync(join(repoRoot, file))).update("\0");
  for (const key of keys) {
    hash.update(`${key}\0`);
    if (isLocal(key)) hash.update(readFileSync(join(repoRoot, key))).update("\0");
  }
  return hash.digest("hex");
}

/** The vendor file recorded in the cache when it is still right for these packages, else none. */
function readVendor(/** @type {string} */ repoRoot, /** @type {string} */ cacheDir, /** @type {string} */ esbuildVersion) {
  /** @type {Vendor} */
  const none = { file: "", key: "", modules: {} };
  try {
    /** @type {Vendor} */
    const vendor = JSON.parse(readFileSync(join(cacheDir, MANIFEST), "utf8"));
    const keys = Object.keys(vendor.modules);
    if (!existsSync(join(cacheDir, vendor.file)) || !existsSync(join(cacheDir, vendor.file.replace(/\.mjs$/, ".cjs"))) || keys.some((k) => isLocal(k) && !existsSync(join(repoRoot, k)))) return none;
    return vendor.key === vendorKey(repoRoot, keys, esbuildVersion) ? vendor : none;
  } catch {
    return none;
  }
}

/**
 * Bundles `keys` (package specifiers, ./paths of our files) into one ES module exporting
 * `modules[key]`, each the namespace an `import * as` of that module gives, and records every
 * module's export names for the modules that stand in for them in our bundle.
 * @param {typeof import("esbuild")} esbuild
 * @returns {Promise<Vendor>}
 */
async function buildVendor(esbuild, /** @type {string} */ repoRoot, /** @type {string} */ cacheDir, /** @type {string[]} */ keys) {
  keys = [...new Set(keys)].sort();
  const key = vendorKey(repoRoot, keys, esbuild.version);
  const name = `vendor-${key.slice(0, 16)}`;
  const code = `${name}.cjs`;
  const file = `${name}.mjs`;
  const partial = join(cacheDir, `${code}.${process.pid}.tmp`);
  const contents = [...keys.map((k, i) => `import * as m${i} from ${JSON.stringify(k)};`), `export const modules = { ${keys.map((k, i) => `${JSON.stringify(k)}: m${i}`).join(", ")} };`].join("\n");
  const { metafile } = await esbuild.build({
    ...BUNDLE_OPTIONS,
    // CommonJS, so that vendor-loader.mjs can run it with V8's code cache; its own require suffices.
    format: "cjs",
    banner: {},
    // Named .mjs so that esbuild imports CommonJS packages as Node would (default = module.exports).
    stdin: { contents, resolveDir: repoRoot, sourcefile: "vendor.mjs", loader: "js" },
    outfile: partial,
    metafile: true,
  });
  // A vendored file importing our TypeScript would keep a stale copy of it here.
  const own = Object.keys(metafile.inputs).filter((input) => /\.[cm]?ts$/.test(input) && !input.split("/").includes("node_modules"));
  if (own.length) throw new Error(`vendored modules import the repository's own sources (${own.join(", ")}); they must be bundled as our code`);
  for (const old of readdirSync(cacheDir)) if (old.startsWith("vendor-") && !old.startsWith(name)) rmSync(join(cacheDir, old), { force: true });
  renameSync(partial, join(cacheDir, code));
  const loader = pathToFileURL(join(repoRoot, "scripts/vendor-loader.mjs")).href;
  writeFileSync(join(cacheDir, file), `import { loadVendor } from ${JSON.stringify(loader)};\nexport const { modules } = loadVendor(new URL("./${code}", import.meta.url));\n`);
  const { modules } = await import(pathToFileURL(join(cacheDir, file)).href);
  /** @type {Vendor} */
  const vendor = { file, key, modules: Object.fromEntries(keys.map((k) => [k, Object.keys(modules[k])])) };
  const manifest = join(cacheDir, `${MANIFEST}.${process.pid}.tmp`);
  writeFileSync(manifest, JSON.stringify(vendor));
  renameSync(manifest, join(cacheDir, MANIFEST));
  return vendor;
}

/**
 * A module standing in for vendored `key`: its exports, read from the vendor file's namespace
 * (values as they are once the module has run: no live bindings, which no import of ours needs).
 * @param {Vendor} vendor @param {string} key
 */
function standIn(vendor, key) {
  const names = vendor.modules[key] ?? [];
  const lines = [`import { modules } from "./${vendor.file}";`, `const m = modules[${JSON.stringify(key)}];`];
  names.forEach((name, i) => lines.push(`const e${i} = m[${JSON.stringify(name)}];`, `export { e${i} as ${JSON.stringify(name)} };`));
  return lines.join("\n");
}

/**
 * esbuild plugin: every import of our code that leads out of it (a package, a JavaScript file
 * such as the generated validators) becomes a stand-in module reading the vendor file; modules
 * not in it yet are collected in `missing`. Resolved here without esbuild's resolver (a call
 * back into it per import would cost more than bundling): a package specifier means the same
 * package from anywhere in our code, a JavaScript file is its path.
 * @param {string} repoRoot @param {Vendor} vendor @param {Set<string>} missing
 * @returns {import("esbuild").Plugin}
 */
function vendorImports(repoRoot, vendor, missing) {
  return {
    name: "vendor-imports",
    setup(b) {
      b.onResolve({ filter: /.*/, namespace: "vendor" }, (args) => ({ path: args.path, external: true }));
      // Package specifiers (not Node's own modules) and relative imports of .js/.cjs/.mjs files.
      b.onResolve({ filter: /^[^./]|\.[cm]?js$/, namespace: "file" }, (args) => {
        if (args.kind === "entry-point" || args.path.startsWith("node:") || builtinModules.includes(args.path.split("/")[0] ?? "")) return undefined;
        if (!args.path.startsWith(".")) return { path: args.path, namespace: "vendor" };
        const file = resolve(args.resolveDir, args.path);
        // A TypeScript import written with .js ("./x.js" for x.ts) is ours: esbuild finds the .ts.
        if (!existsSync(file)) return undefined;
        return { path: `./${relative(repoRoot, file).split(sep).join("/")}`, namespace: "vendor" };
      });
      b.onLoad({ filter: /.*/, namespace: "vendor" }, (args) => {
        if (vendor.modules[args.path]) return { contents: standIn(vendor, args.path), loader: "js", resolveDir: repoRoot };
        // Not in the vendor file yet: this bundle is thrown away. CommonJS, so any import of it binds.
        missing.add(args.path);
        return { contents: "module.exports = {};", loader: "js" };
      });
    },
  };
}

/**
 * Bundles `entry` (relative to repoRoot) into `outfile`, which must be in `cacheDir`: our code,
 * importing the vendor file beside it, which is (re)built when packages or imports changed.
 * @param {{ repoRoot: string, entry: string, outfile: string, cacheDir: string }} options
 */
export async function splitBundle({ repoRoot, entry, outfile, cacheDir }) {
  if (dirname(outfile) !== cacheDir) throw new Error(`${basename(outfile)} must be written to ${cacheDir}, beside the vendor file`);
  const esbuild = await import("esbuild");
  let vendor = readVendor(repoRoot, cacheDir, esbuild.version);
  for (let attempt = 0; ; attempt++) {
    /** @type {Set<string>} */
    const missing = new Set();
    await esbuild.build({
      ...BUNDLE_OPTIONS,
      entryPoints: [join(repoRoot, entry)],
      outfile,
      plugins: [vendorImports(repoRoot, vendor, missing), ownImportMetaUrl(repoRoot)],
    });
    if (missing.size === 0) return;
    if (attempt > 0) throw new Error(`vendor bundle lacks ${[...missing].join(", ")} after being rebuilt with them`);
    vendor = await buildVendor(esbuild, repoRoot, cacheDir, [...Object.keys(vendor.modules), ...missing]);
  }
}
