// Imports follow the flow (definitions → kit → compile → outputs), as .dependency-cruiser.cjs
// states it: the repository obeys it, and the check really fails on a backwards import.

import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = new URL("../..", import.meta.url).pathname;
const CRUISED = ["src", "scripts", "test", "catalogue", "dashboards", "alerts", "build.config.ts"];

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

function isViolation(v: unknown): v is Violation {
  if (typeof v !== "object" || v === null) return false;
  const { from, to, rule } = v as Record<string, unknown>;
  return typeof from === "string" && typeof to === "string" && typeof rule === "object" && rule !== null && typeof (rule as Record<string, unknown>).name === "string";
}

/** Runs dependency-cruiser in `cwd` and returns its violations (it exits non-zero when there are any). */
async function cruise(cwd: string): Promise<Violation[]> {
  const bin = join(repo, "node_modules/.bin/depcruise");
  const args = ["--config", ".dependency-cruiser.cjs", "--output-type", "json", ...CRUISED];
  const { stdout } = await run(bin, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string }) => {
    if (!error.stdout) throw new Error(`depcruise failed: ${error.stderr ?? String(error)}`);
    return { stdout: error.stdout };
  });
  const violations: unknown = JSON.parse(stdout).summary?.violations;
  if (!Array.isArray(violations) || !violations.every(isViolation)) throw new Error(`unexpected depcruise output: ${stdout.slice(0, 500)}`);
  return violations;
}

const describeViolation = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}`;

describe("import boundaries", () => {
  it("the repository has no backwards import", async () => {
    expect((await cruise(repo)).map(describeViolation)).toEqual([]);
  });

  it("no source folder is named build, dist or out", async () => {
    const dirs = (await readdir(join(repo, "src"), { recursive: true, withFileTypes: true })).filter((e) => e.isDirectory());
    expect(dirs.filter((d) => ["build", "dist", "out"].includes(d.name)).map((d) => join(d.parentPath, d.name))).toEqual([]);
  });

  describe("a copy of the repository with backwards imports added", () => {
    let copy: string;
    // Each planted file imports against the flow; the rule that must catch it is the key.
    const planted: Record<string, { file: string; imports: string }> = {
      "model-imports-nothing": { file: "src/model/planted.ts", imports: "../kit/promql" },
      "kit-imports-model": { file: "src/kit/planted.ts", imports: "../compile/dashboard" },
      "compile-imports-kit-and-model": { file: "src/compile/planted.ts", imports: "../pipeline/generate" },
      "validate-imports-model": { file: "src/validate/planted.ts", imports: "../compile/dashboard" },
      "lint-imports-model": { file: "src/lint/planted.ts", imports: "../kit/promql" },
      "verify-imports-lint-grafana-model": { file: "src/verify/planted.ts", imports: "../compile/dashboard" },
      "src-never-imports-definitions": { file: "src/pipeline/planted.ts", imports: "../../dashboards/index" },
      "scripts-never-import-test": { file: "scripts/planted.ts", imports: "../test/push/grafana-double" },
      "definitions-import-kit-and-model": { file: "dashboards/planted.ts", imports: "../src/compile/dashboard" },
    };

    beforeAll(async () => {
      copy = await mkdtemp(join(tmpdir(), "obs-boundaries-"));
      for (const entry of [...CRUISED, "schema", "tsconfig.json", "package.json", ".dependency-cruiser.cjs"]) {
        await cp(join(repo, entry), join(copy, entry), { recursive: true });
      }
      await symlink(join(repo, "node_modules"), join(copy, "node_modules"));
      for (const { file, imports } of Object.values(planted)) {
        await mkdir(join(copy, file, ".."), { recursive: true });
        await writeFile(join(copy, file), `import * as backwards from "${imports}";\nexport const planted = backwards;\n`);
      }
    });
    afterAll(async () => {
      if (copy) await rm(copy, { recursive: true, force: true });
    });

    it("each planted import is reported by the rule it breaks, and nothing else is", async () => {
      const found = (await cruise(copy)).map(describeViolation);
      for (const [rule, { file }] of Object.entries(planted)) {
        expect(found.filter((v) => v.startsWith(`${rule}: ${file} → `)), rule).toHaveLength(1);
      }
      const plantedFiles = new Set(Object.values(planted).map((p) => p.file));
      expect(found.filter((v) => !plantedFiles.has(v.split(": ")[1]!.split(" → ")[0]!))).toEqual([]);
    });
  });
});
