// Bundles ajv standalone validators that @kubernetes-models packages compile from CRD schemas
// into one self-contained ESM file, so the build never loads those packages (they declare
// node >= 22) nor their runtime: scripts/generate-operator-schema.ts and
// scripts/generate-rule-validator.ts use it.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";

// The validators import `formats` from @kubernetes-models/validate, which also pulls
// draft-2019 formats (punycode, uri-js, nearley) that cannot be bundled for ESM. The schemas use
// only ajv-formats' full formats (byte, int32, int64, date-time), so the bundle gets exactly
// those; the generation fails if a schema ever names another format.
function formatsOnly(formatsFile: string, packageDir: string): Plugin {
  const shim = `export { fullFormats as formats } from ${JSON.stringify(formatsFile)};`;
  return {
    name: "formats-only",
    setup(b) {
      b.onResolve({ filter: /^@kubernetes-models\/validate$/ }, () => ({ path: "formats-shim", namespace: "formats-shim" }));
      b.onLoad({ filter: /.*/, namespace: "formats-shim" }, () => ({ contents: shim, resolveDir: packageDir, loader: "js" }));
    },
  };
}

// CRD patterns are RE2, which the packages run through a WebAssembly RE2 engine. The only
// RE2-only syntax they use is the inline flag group `(?i)`, at the start of the pattern or of a
// group (`^(?i)(abort|warn)?$`, `^((?i)january|...|1[0-2])`): it becomes the RegExp flag `i` for
// the whole pattern, which matches the same strings as long as nothing case-sensitive with letters
// comes before the flag — the shim checks that. Any other RE2-only syntax is a RegExp syntax error
// when the bundle loads, so a pattern this cannot translate fails loudly.
const RE2_AS_REGEXP = `
export default class RE2 {
  constructor(pattern, flags = "") {
    const first = pattern.indexOf("(?i)");
    if (first > 0 && /[A-Za-z]/.test(pattern.slice(0, first).replace(/\\\\./g, ""))) throw new Error("RE2 pattern with letters before (?i): " + pattern);
    const source = pattern.split("(?i)").join("");
    this.regExp = new RegExp(source, [...new Set(flags + (first >= 0 ? "i" : "") + "u")].join(""));
  }
  test(text) { return this.regExp.test(text); }
}`;
const re2AsRegExp: Plugin = {
  name: "re2-as-regexp",
  setup(b) {
    b.onResolve({ filter: /^@kubernetes-models\/validate\/runtime\/re2$/ }, () => ({ path: "re2", namespace: "re2-shim" }));
    b.onLoad({ filter: /.*/, namespace: "re2-shim" }, () => ({ contents: RE2_AS_REGEXP, loader: "js" }));
  },
};

/** One ESM file exporting `validate<Name>` for each `_schemas/` file of the package in `packageDir`. */
export async function bundleValidators(packageDir: string, schemas: Readonly<Record<string, string>>): Promise<string> {
  const formatsFile = createRequire(join(packageDir, "package.json")).resolve("ajv-formats/dist/formats.js");
  const entry = Object.entries(schemas)
    .map(([name, file]) => `export { validate as validate${name} } from ${JSON.stringify(join(packageDir, "_schemas", file))};`)
    .join("\n");
  const result = await build({
    stdin: { contents: entry, resolveDir: packageDir, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
    legalComments: "none",
    minify: true,
    plugins: [formatsOnly(formatsFile, packageDir), re2AsRegExp],
    metafile: true,
  });
  const { fullFormats } = (await import(formatsFile)) as { fullFormats: Record<string, unknown> };
  const used = new Set<string>();
  for (const source of Object.keys(result.metafile.inputs).filter((input) => input.includes("/_schemas/"))) {
    for (const m of readFileSync(source, "utf8").matchAll(/\bformats(?:\.(\w+)|\["([^"]+)"\])/g)) used.add((m[1] ?? m[2])!);
  }
  const missing = [...used].filter((name) => !(name in fullFormats));
  if (missing.length) throw new Error(`the schemas use formats the bundle does not provide: ${missing.join(", ")}`);
  const text = result.outputFiles[0]?.text;
  if (text === undefined) throw new Error("esbuild produced no output");
  return text;
}
