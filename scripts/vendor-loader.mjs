// @ts-check
// Runs the build's vendor bundle (CommonJS, see split-bundle.mjs) with V8's code cache beside it:
// compiling its 2.2 MB took the build ~60 ms of every run, as did compiling the functions the
// build then calls. The cache is written at exit by the first run that had none (or whose cache
// V8 rejected: it checks the source and its own version and flags itself), so it holds every
// function that run compiled.

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

/**
 * The exports of the CommonJS file at `url`, run as Node would run it.
 * @param {URL} url
 * @returns {Record<string, unknown>}
 */
export function loadVendor(url) {
  const file = fileURLToPath(url);
  const cacheFile = `${file}.v8`;
  /** @type {Buffer | undefined} */
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  /** @type {{ exports: Record<string, unknown> }} */
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  if (!cachedData || script.cachedDataRejected) {
    process.once("exit", () => {
      const partial = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(partial, script.createCachedData());
        renameSync(partial, cacheFile);
      } catch {
        // No cache: the next run compiles again, and tries again.
      }
    });
  }
  return module.exports;
}
