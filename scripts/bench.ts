// npm run bench: `npm run build` as a user runs it, in a scratch copy of the repository, judged
// against the budgets (medians of 5, each beside a `node -e 0` reference from the same run):
//   after editing one dashboard file (type check included) ≤ 1.0 s; with no change ≤ 0.4 s.

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exitWithVerdict, judge, pairedRuns } from "./bench-support";

const repo = fileURLToPath(new URL("..", import.meta.url));
const SOURCES = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "build.config.ts", "lint.config.yaml", "catalogue", "dashboards", "alerts", "src", "scripts", "schema", "out", "test"];
const EDITED = "dashboards/event-system.ts";
const TITLE = 'title: "254Carbon Event-Driven Architecture"';

const copy = mkdtempSync(join(tmpdir(), "obs-bench-"));
try {
  for (const entry of SOURCES) cpSync(join(repo, entry), join(copy, entry), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(copy, "node_modules"));
  const build = () => execFileSync("npm", ["run", "-s", "build"], { cwd: copy, stdio: "ignore" });
  const original = readFileSync(join(copy, EDITED), "utf8");
  if (!original.includes(TITLE)) throw new Error(`${EDITED} no longer contains ${TITLE}: update the bench`);
  build(); // cold: fills the bundle cache and the type checker's build info

  const edited = await pairedRuns(5, (run) => {
    writeFileSync(join(copy, EDITED), original.replace(TITLE, `title: "Event-Driven Architecture ${run}"`));
    build();
  });
  const unchanged = await pairedRuns(5, build);
  judge("npm run build after editing one dashboard file", edited.samples, 1000, edited.reference);
  judge("npm run build with no change", unchanged.samples, 400, unchanged.reference);
} finally {
  rmSync(copy, { recursive: true, force: true });
}
exitWithVerdict();
