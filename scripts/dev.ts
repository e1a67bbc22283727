// npm run dev [-- --push] [-- --out DIR]: watches the definitions and the kit; on each save
// type-checks, rebuilds (the build lints its own output) and prints what changed, or the
// errors, keeping the last good output folder. With --push, every changed dashboard goes to a
// preview folder of a development Grafana (GRAFANA_URL, GRAFANA_TOKEN) as a copy with its own
// uid (dev-<user>-...) and without the managed tag, so it can never replace or be pruned as a
// production dashboard. Ctrl-C waits for a write in progress; nothing is left half-written.

import { statSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { extname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { context } from "esbuild";
import { GrafanaClient } from "../src/grafana/client";
import { MANAGED_TAG } from "../src/grafana/plan";
import { Redactor } from "../src/grafana/redact";
import type { OutputFile } from "../src/model/output";
import { writeOutputs } from "../src/pipeline/write";
import { ownImportMetaUrl, startTypeCheck } from "./build-support.mjs";
import { describeChanges, previewDashboard, type Snapshot } from "./dev-changes";
import { LiveTypeCheck, type Changes, type TypeCheckResult } from "./live-type-check";
import { watchTree, type FileEvent } from "./watch-tree";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const WATCHED = ["catalogue", "dashboards", "alerts", "src", "build.config.ts"];
const bundleDir = join(repoRoot, ".cache/dev");

const USAGE = "usage: npm run dev [-- --push] [-- --out DIR]   (--push needs GRAFANA_URL and GRAFANA_TOKEN of a development Grafana)";

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({ options: { push: { type: "boolean", default: false }, out: { type: "string" } }, strict: true });
} catch (error) {
  fail((error as Error).message);
}
const outDir = resolve(args.values.out ?? join(repoRoot, "out"));
const shownOut = `${relative(process.cwd(), outDir) || "."}/`;

// The generated code: definitions and pipeline bundled, packages left to Node (loaded once).
const generator = await context({
  stdin: {
    contents: `export { platformInput } from "./scripts/platform"; export { generateOutputs } from "./src/pipeline/generate";`,
    resolveDir: repoRoot,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  write: false,
  logLevel: "silent",
  plugins: [ownImportMetaUrl(repoRoot)],
});

interface GeneratorModule {
  readonly platformInput: unknown;
  readonly generateOutputs: (input: unknown) => { files: readonly OutputFile[] };
}

let bundleCount = 0;
/** Bundles and imports the current definitions: a fresh module for every change. */
async function loadGenerator(): Promise<GeneratorModule> {
  const result = await generator.rebuild();
  const text = result.outputFiles?.[0]?.text;
  if (text === undefined) throw new Error("esbuild produced no bundle");
  await mkdir(bundleDir, { recursive: true });
  const file = join(bundleDir, `generate-${process.pid}-${++bundleCount}.mjs`);
  await writeFile(file, text);
  try {
    return (await import(pathToFileURL(file).href)) as GeneratorModule;
  } finally {
    await rm(file, { force: true });
  }
}

const push = args.values.push ? await previewPusher() : undefined;

async function previewPusher() {
  const url = process.env.GRAFANA_URL;
  const token = process.env.GRAFANA_TOKEN;
  if (!url || !token) fail("--push needs GRAFANA_URL and GRAFANA_TOKEN (a development Grafana)");
  const { platformInput } = await loadGenerator();
  const production = (platformInput as { config: { grafanaUrl: string } }).config.grafanaUrl;
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    fail(`GRAFANA_URL is not a URL`);
  }
  if (origin === new URL(production).origin) fail(`refusing --push: GRAFANA_URL is the production Grafana (${production}, build.config.ts grafanaUrl); previews go to a development Grafana`);
  const user = (process.env.USER || userInfo().username || "user").toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 12);
  const client = new GrafanaClient({ baseUrl: url, auth: { kind: "token", token }, redactor: new Redactor().add(token), retry: { totalTimeMs: 10_000 } });
  const folder = { uid: `dev-${user}`, title: `Preview (${user})` };
  let folderReady = false;
  return async (changed: readonly OutputFile[]): Promise<string[]> => {
    if (!folderReady) await client.createFolder(folder);
    folderReady = true;
    const lines: string[] = [];
    for (const file of changed) {
      const model = previewDashboard(JSON.parse(file.content) as Record<string, unknown>, user, MANAGED_TAG);
      await client.saveDashboard(model, folder.uid, "npm run dev preview");
      lines.push(`  preview ${new URL(`/d/${String(model.uid)}`, url).href}`);
    }
    return lines;
  };
}

let previous: Snapshot | undefined;
let running: Promise<void> | undefined;
let pending = false;
let firstEventAt = 0;
let stopping = false;

const stamp = () => new Date().toTimeString().slice(0, 8);
const ms = (from: number, to: number) => `${Math.round(to - from)} ms`;

const checker = new LiveTypeCheck(repoRoot);
let checkerFailed = false;

/** This cycle's type check: the long-running checker, or a compiler process per save once it failed. */
async function typeCheck(changes: Changes): Promise<TypeCheckResult> {
  if (!checkerFailed) {
    try {
      return await checker.check(changes);
    } catch (error) {
      checkerFailed = true;
      console.log(`[${stamp()}] the long-running type checker failed (${(error as Error).message}); from now on each save starts a compiler`);
      await checker.close().catch(() => undefined);
    }
  }
  return startTypeCheck(repoRoot);
}

/** Paths the watcher reported since the last cycle began, and how. */
const touched = new Map<string, FileEvent>();

/** What changed for the type checker; a folder that came or went reloads its project. */
function takeChanges(): Changes {
  const events = [...touched];
  touched.clear();
  const changed: string[] = [];
  const created: string[] = [];
  const deleted: string[] = [];
  for (const [path, event] of events) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory() || (!stat && extname(path) === "")) return "reload";
    if (!stat) deleted.push(path);
    else (event === "rename" ? created : changed).push(path);
  }
  return { changed, created, deleted };
}

/** One cycle: type check and generation side by side; write only when both pass. */
async function cycle(savedAt: number, sourceChanges: Changes): Promise<void> {
  const checking = typeCheck(sourceChanges);
  let files: readonly OutputFile[] | undefined;
  let failure: unknown;
  try {
    const { generateOutputs, platformInput } = await loadGenerator();
    files = generateOutputs(platformInput).files;
  } catch (error) {
    failure = error;
  }
  const checked = await checking;
  const checkedAt = performance.now();
  if (!checked.ok) {
    console.log(`[${stamp()}] type check failed; ${shownOut} kept as it was\n${checked.output}`);
    return;
  }
  if (!files) {
    console.log(`[${stamp()}] build failed; ${shownOut} kept as it was\n${failure instanceof Error ? failure.message : String(failure)}`);
    return;
  }
  const current: Snapshot = new Map(files.map((f) => [f.path, f.content]));
  const changes = previous ? describeChanges(previous, current) : { lines: [`built ${files.length} files`], dashboards: files.filter((f) => f.path.startsWith("dashboards/")) };
  if (changes.lines.length === 0) {
    console.log(`[${stamp()}] no output changed (${ms(savedAt, performance.now())} from save)`);
    return;
  }
  await writeOutputs(files, outDir, repoRoot);
  const writtenAt = performance.now();
  previous = current;
  const report = [`[${stamp()}] ${changes.lines.join("; ")}`];
  report.push(`  type check passed ${ms(savedAt, checkedAt)} after save; ${shownOut} written ${ms(checkedAt, writtenAt)} after it; report ${ms(savedAt, performance.now())} after save`);
  console.log(report.join("\n"));
  if (push && changes.dashboards.length) {
    try {
      console.log((await push(changes.dashboards)).join("\n"));
    } catch (error) {
      console.log(`  preview push failed: ${(error as Error).message}`);
    }
  }
}

function schedule(): void {
  if (stopping) return;
  if (running) {
    pending = true;
    return;
  }
  const savedAt = firstEventAt;
  firstEventAt = 0;
  running = cycle(savedAt, takeChanges())
    .catch((error: unknown) => console.log(`[${stamp()}] ${(error as Error).stack ?? String(error)}`))
    .finally(() => {
      running = undefined;
      if (pending) {
        pending = false;
        firstEventAt ||= performance.now();
        schedule();
      }
    });
}

let timer: NodeJS.Timeout | undefined;
const watcher = watchTree(
  WATCHED.map((entry) => join(repoRoot, entry)),
  (path, event) => {
    touched.set(path, touched.get(path) === "rename" ? "rename" : event);
    firstEventAt ||= performance.now();
    clearTimeout(timer);
    // Editors write a file in several steps: wait for the last one.
    timer = setTimeout(schedule, 30);
  },
);

process.on("SIGINT", () => {
  if (stopping) return;
  stopping = true;
  clearTimeout(timer);
  watcher.close();
  console.log(running ? "stopping after the current rebuild…" : "stopped");
  void (running ?? Promise.resolve()).then(async () => {
    await Promise.all([generator.dispose(), checker.close()]);
    await rm(bundleDir, { recursive: true, force: true });
    process.exit(0);
  });
});

console.log(`watching ${WATCHED.join(", ")}; writing ${shownOut}${push ? "; pushing previews" : ""} (Ctrl-C to stop)`);
firstEventAt = performance.now();
schedule();
