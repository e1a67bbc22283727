// npm run bench:push: pushes N generated dashboards to the in-process Grafana double and checks
// the budgets: first push under 10 s, a repeated push with zero writes.
//   npm run bench:push -- --count 1000 --concurrency 8

import { rm } from "node:fs/promises";
import { parseArgs } from "node:util";
import { GrafanaClient } from "../../src/grafana/client";
import { loadOutputs } from "../../src/grafana/manifest";
import { countActions, push } from "../../src/grafana/push";
import { generateSpec, writeOutDir } from "./fixtures";
import { GrafanaDouble } from "./grafana-double";

const { values } = parseArgs({ options: { count: { type: "string", default: "1000" }, concurrency: { type: "string", default: "8" } } });
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const BUDGET_MS = 10_000;

const double = await new GrafanaDouble().start();
const outDir = await writeOutDir(generateSpec(count));
try {
  const client = new GrafanaClient({ baseUrl: double.url, auth: { kind: "token", token: double.options.token! } });
  const outputs = await loadOutputs(outDir);
  const writes = () => double.log.filter((r) => r.method !== "GET").length;

  const first = await push(client, outputs, { message: "bench", concurrency });
  const firstWrites = writes();
  const firstCounts = countActions(first.items, "dashboard");

  const before = writes();
  const second = await push(client, outputs, { message: "bench again", concurrency });
  const secondWrites = writes() - before;
  const versionsBumped = [...double.dashboards.values()].filter((d) => d.version !== 1).length;

  const rows = [
    ["dashboards", String(count)],
    ["concurrency", String(concurrency)],
    ["first push", `${(first.durationMs / 1000).toFixed(2)} s (${firstCounts.create} created, ${firstWrites} writes, ${double.log.length} requests)`],
    ["repeated push", `${(second.durationMs / 1000).toFixed(2)} s (${countActions(second.items, "dashboard").unchanged} unchanged, ${secondWrites} writes)`],
    ["versions bumped by repeat", String(versionsBumped)],
  ];
  for (const [k, v] of rows) console.log(`${k!.padEnd(26)} ${v}`);
  const ok = first.ok && second.ok && first.durationMs < BUDGET_MS && secondWrites === 0 && versionsBumped === 0;
  console.log(ok ? `PASS: under ${BUDGET_MS / 1000} s, repeat writes nothing` : "FAIL: budget missed");
  process.exitCode = ok ? 0 : 1;
} finally {
  await double.stop();
  await rm(outDir, { recursive: true, force: true });
}
