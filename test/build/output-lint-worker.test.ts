// A large build lints its output in a worker thread (src/pipeline/lint-output.ts). The worker
// must answer exactly what the lint in the build's own thread answers: the same files when the
// output is clean, the same errors when it is not. Run from an esbuild bundle in a node process,
// as the build runs it (a worker cannot load TypeScript under vitest).

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BUNDLE_OPTIONS, ownImportMetaUrl } from "../../scripts/build-support.mjs";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "output-lint-worker-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Both linters over the platform, then over the platform with a catalogue that lacks the metric
// its panels read most: an unknown metric is a lint error in the own profile.
const ENTRY = `
import { parentPort } from "node:worker_threads";
import { generateOutputs } from ${JSON.stringify(join(repo, "src/pipeline/generate"))};
import { inlineOutputLinter, serveOutputLint, workerOutputLinter } from ${JSON.stringify(join(repo, "src/pipeline/lint-output"))};
import { platformInput } from ${JSON.stringify(join(repo, "scripts/platform"))};

function run(input, linter) {
  try {
    return { files: generateOutputs(input, linter).files };
  } catch (error) {
    return { error: error.message };
  }
}
if (!serveOutputLint(parentPort)) {
  const self = new URL(import.meta.url);
  const broken = { ...platformInput, catalogue: platformInput.catalogue.filter((m) => m.name !== "istio_requests_total") };
  const result = {};
  for (const [name, input] of [["platform", platformInput], ["broken", broken]]) {
    result[name] = { inline: run(input, inlineOutputLinter()), worker: run(input, workerOutputLinter(self)) };
  }
  // A worker that never serves (a module that does nothing): dropped, the lint runs here.
  result.silent = run(broken, workerOutputLinter(new URL("data:text/javascript,"), 500));
  console.log(JSON.stringify(result));
}
`;

interface Outcome {
  readonly files?: readonly { path: string; content: string }[];
  readonly error?: string;
}
let result: Record<"platform" | "broken", { inline: Outcome; worker: Outcome }> & { silent: Outcome };

beforeAll(async () => {
  writeFileSync(join(dir, "entry.ts"), ENTRY);
  await build({ ...BUNDLE_OPTIONS, entryPoints: [join(dir, "entry.ts")], outfile: join(dir, "entry.mjs"), plugins: [ownImportMetaUrl(repo)] });
  result = JSON.parse(execFileSync(process.execPath, [join(dir, "entry.mjs")], { encoding: "utf8", cwd: repo, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 }));
}, 90_000);

it("a clean output: the worker passes it as the build's own thread does, with the same files", () => {
  const { inline, worker } = result.platform;
  expect(inline.error).toBeUndefined();
  expect(worker.error).toBeUndefined();
  expect(worker.files).toEqual(inline.files);
});

it("a lint error: the worker fails the build with the same findings, naming the metric and the dashboard", () => {
  const { inline, worker } = result.broken;
  expect(inline.error).toMatch(/istio_requests_total/);
  expect(inline.error).toMatch(/out\/dashboards\/service-mesh\.json/);
  expect(worker.error).toBe(inline.error);
});

it("a worker that never comes up: the build lints in its own thread and still fails on the error", () => {
  expect(result.silent.error).toBe(result.broken.inline.error);
});
