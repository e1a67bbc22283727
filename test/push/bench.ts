// npm run bench:push: pushes N generated dashboards to a fresh in-process Grafana double, then
// again, five times, and judges the budgets: first push under 10 s (median, beside a same-run
// `node -e 0` reference); every repeated push writes nothing and bumps no version.
//   npm run bench:push -- --count 1000 --concurrency 8 [--api resources]

import { rm } from "node:fs/promises";
import { parseArgs } from "node:util";
import { GrafanaClient } from "../../src/grafana/client";
import { loadOutputs } from "../../src/grafana/manifest";
import { countActions, push } from "../../src/grafana/push";
import { describeRuns, exitWithVerdict, judge, judgeValue, pairedRuns } from "../../scripts/bench-support";
import { generateSpec, writeOutDir } from "./fixtures";
import { GrafanaDouble } from "./grafana-double";

const { values } = parseArgs({ options: { count: { type: "string", default: "1000" }, concurrency: { type: "string", default: "8" }, api: { type: "string", default: "legacy" } } });
if (values.api !== "legacy" && values.api !== "resources") throw new Error(`--api must be legacy or resources, got ${values.api}`);
const api = values.api;
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const BUDGET_MS = 10_000;

const outDir = await writeOutDir(generateSpec(count));
try {
  const outputs = await loadOutputs(outDir);
  const firsts: number[] = [];
  const repeats: { ms: number; writes: number; bumped: number; ok: boolean }[] = [];
  const { reference } = await pairedRuns(5, async () => {
    // Resources mode: a Grafana 12 double.
    const double = await new GrafanaDouble(api === "resources" ? { resourceApi: { versions: ["v1beta1"] } } : {}).start();
    try {
      const client = new GrafanaClient({ baseUrl: double.url, auth: { kind: "token", token: double.options.token! } });
      const writes = () => double.log.filter((r) => r.method !== "GET").length;
      const first = await push(client, outputs, { message: "bench", concurrency, api });
      if (!first.ok || countActions(first.items, "dashboard").create !== count) throw new Error("first push did not create every dashboard");
      firsts.push(first.durationMs);
      const before = writes();
      const second = await push(client, outputs, { message: "bench again", concurrency, api });
      const bumped = [...double.dashboards.values()].filter((d) => d.version !== 1).length;
      repeats.push({ ms: second.durationMs, writes: writes() - before, bumped, ok: second.ok });
    } finally {
      await double.stop();
    }
  });
  judge(`first push of ${count} dashboards (${api} API, concurrency ${concurrency}, fresh double each run)`, firsts, BUDGET_MS, reference);
  const worst = Math.max(...repeats.map((r) => r.writes + r.bumped));
  judgeValue("repeated push", `${describeRuns(repeats.map((r) => r.ms))}; at most ${worst} writes or bumped versions`, worst === 0 && repeats.every((r) => r.ok), "0 writes, 0 versions bumped");
} finally {
  await rm(outDir, { recursive: true, force: true });
}
exitWithVerdict();
