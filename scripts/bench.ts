// npm run bench: `npm run build` and `npm run dev` as a user runs them, in a scratch copy of the
// repository, judged against the budgets (medians, each beside a `node -e 0` reference from the
// same run):
//   build after editing one dashboard file (type check included) ≤ 1.0 s; with no change ≤ 0.4 s;
//   dev, one-panel change: save → report (type check included) ≤ 800 ms; passed type check →
//   out/ written ≤ 300 ms.

import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exitWithVerdict, judge, nodeStartup, pairedRuns } from "./bench-support";

const repo = fileURLToPath(new URL("..", import.meta.url));
const SOURCES = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "build.config.ts", "lint.config.yaml", "catalogue", "dashboards", "alerts", "src", "scripts", "schema", "out", "test"];
const EDITED = "dashboards/event-system.ts";
const TITLE = 'title: "254Carbon Event-Driven Architecture"';
const PANEL_TITLE = 'title: "Consumer Lag by Topic"';
const RUNS = 5;
const DEV_RUNS = 7;

/** Replaces `from` in the edited file of the copy, which must contain it. */
function edit(copy: string, original: string, from: string, to: string): void {
  if (!original.includes(from)) throw new Error(`${EDITED} no longer contains ${from}: update the bench`);
  writeFileSync(join(copy, EDITED), original.replace(from, to));
}

async function benchBuild(copy: string, original: string): Promise<void> {
  const build = () => execFileSync("npm", ["run", "-s", "build"], { cwd: copy, stdio: "ignore" });
  build(); // cold: fills the bundle cache and the type checker's build info
  const edited = await pairedRuns(RUNS, (run) => {
    edit(copy, original, TITLE, `title: "Event-Driven Architecture ${run}"`);
    build();
  });
  const unchanged = await pairedRuns(RUNS, build);
  judge("npm run build after editing one dashboard file", edited.samples, 1000, edited.reference);
  judge("npm run build with no change", unchanged.samples, 400, unchanged.reference);
}

/**
 * `npm run dev` (its command, `tsx scripts/dev.ts`) in the copy: after its first build, one panel
 * title is changed per run; save → report is timed from just before the write until the report
 * line arrives; passed check → out/ written is what dev prints for that save.
 */
async function benchDev(copy: string, original: string): Promise<void> {
  writeFileSync(join(copy, EDITED), original);
  const dev = spawn(process.execPath, [join(copy, "node_modules/tsx/dist/cli.mjs"), "scripts/dev.ts"], { cwd: copy, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let wake = () => {};
  const read = (d: Buffer) => {
    output += d.toString();
    wake();
  };
  dev.stdout.on("data", read);
  dev.stderr.on("data", read);
  const exited = new Promise<void>((resolve) => dev.on("exit", () => resolve()));
  /** The first match of `pattern` in the output after `from`. */
  const waitFor = async (pattern: RegExp, from: number): Promise<RegExpExecArray> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const match = pattern.exec(output.slice(from));
      if (match) return match;
      if (Date.now() > deadline || dev.exitCode !== null) throw new Error(`npm run dev did not print ${pattern}; it printed:\n${output}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1000);
      });
    }
  };
  const REPORT = /type check passed \d+ ms after save; \S+ written (\d+) ms after it; report \d+ ms after save\n/;
  try {
    await waitFor(/built \d+ files/, 0);
    const saveToReport: number[] = [];
    const checkToWritten: number[] = [];
    const reference: number[] = [];
    for (let run = -1; run < DEV_RUNS; run++) {
      const ref = nodeStartup();
      const mark = output.length;
      const savedAt = performance.now();
      edit(copy, original, PANEL_TITLE, `title: "Consumer Lag by Topic ${run + 1}"`);
      const [, written] = await waitFor(REPORT, mark);
      if (run < 0) continue; // the first save warms the generator and the checker up
      saveToReport.push(performance.now() - savedAt);
      checkToWritten.push(Number(written));
      reference.push(ref);
    }
    judge("npm run dev, one-panel change: save → report", saveToReport, 800, reference);
    judge("npm run dev, one-panel change: passed type check → out/ written", checkToWritten, 300, reference);
  } finally {
    dev.kill("SIGINT");
    await exited;
  }
}

const copy = mkdtempSync(join(tmpdir(), "obs-bench-"));
try {
  for (const entry of SOURCES) cpSync(join(repo, entry), join(copy, entry), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(copy, "node_modules"));
  const original = readFileSync(join(copy, EDITED), "utf8");
  await benchBuild(copy, original);
  await benchDev(copy, original);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
exitWithVerdict();
