// npm run bench:verify: a verify run over every dashboard and rule of out/ against a local
// Prometheus on complete synthetic data (start-up and data creation excluded), median of 7,
// beside a same-run reference: the same queries (instant + range) sent one by one with plain
// fetch, without diagnosis, rule comparison or drift.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { allMetrics } from "../../catalogue/metrics";
import { PrometheusClient } from "../../src/verify/client";
import { readOut } from "../../src/verify/inputs";
import { builtins, intervalSeconds, interpolate } from "../../src/verify/variables";
import { verify } from "../../src/verify/verify";
import { END, startScenario, STEP } from "./scenario";

const RUNS = 7;
const RANGE_S = 3600;
const ROOT = join(import.meta.dirname, "../..");
const out = readOut(join(ROOT, "out"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const prometheus = await startScenario({ metrics: allMetrics });
try {
  const timing = { rangeS: RANGE_S, scrapeIntervalS: STEP };
  const verifyMs: number[] = [];
  const referenceMs: number[] = [];
  let requests = 0;
  for (let i = 0; i < RUNS; i++) {
    const client = new PrometheusClient({ url: prometheus.url, auth: { kind: "none" } });
    let t = performance.now();
    const report = await verify({ client, dashboards: out.dashboards, groups: out.groups, catalogue: allMetrics, rangeS: RANGE_S, scrapeIntervalS: STEP, now: END });
    verifyMs.push(performance.now() - t);
    requests = client.requests;
    await client.close();
    if (report.results.some((r) => r.status !== "ok")) throw new Error("complete data must verify ok");

    const now = END;
    const queries = [
      ...out.dashboards.flatMap((d) => d.targets.map((target) => interpolate(target.expr, d.variables, new Map(), builtins(timing, now)))),
      ...out.groups.flatMap((g) => g.rules.map((r) => r.expr)),
    ];
    t = performance.now();
    for (const query of queries) {
      await (await fetch(`${prometheus.url}/api/v1/query`, { method: "POST", body: new URLSearchParams({ query, time: String(now) }) })).json();
      const range = { query, start: String(now - RANGE_S), end: String(now), step: String(intervalSeconds(timing)) };
      await (await fetch(`${prometheus.url}/api/v1/query_range`, { method: "POST", body: new URLSearchParams(range) })).json();
    }
    referenceMs.push(performance.now() - t);
  }
  // The whole command as a user runs it (Node, tsx and module loading included), beside tsx
  // running an empty script: the start-up any script pays.
  const cliMs: number[] = [];
  const emptyMs: number[] = [];
  const tsx = join(ROOT, "node_modules/.bin/tsx");
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    const run = spawnSync(tsx, [join(ROOT, "scripts/verify.ts"), "--prometheus", prometheus.url, "--time", String(END), "--format", "json"], { cwd: ROOT, encoding: "utf8" });
    cliMs.push(performance.now() - t);
    if (run.status !== 0) throw new Error(`verify exited ${run.status}: ${run.stderr}`);
    t = performance.now();
    spawnSync(tsx, ["-e", "0"], { cwd: ROOT });
    emptyMs.push(performance.now() - t);
  }
  const targets = out.dashboards.flatMap((d) => d.targets).length;
  const rules = out.groups.flatMap((g) => g.rules).length;
  console.log(`verify: ${out.dashboards.length} dashboards (${targets} targets), ${rules} rules, ${requests} requests per run`);
  console.log(`verify run           median ${median(verifyMs).toFixed(0)} ms (${verifyMs.map((m) => m.toFixed(0)).join(", ")})`);
  console.log(`whole command (tsx scripts/verify.ts) median ${median(cliMs).toFixed(0)} ms (${cliMs.map((m) => m.toFixed(0)).join(", ")})`);
  console.log(`reference (tsx -e 0, start-up only)  median ${median(emptyMs).toFixed(0)} ms (${emptyMs.map((m) => m.toFixed(0)).join(", ")})`);
  console.log(`reference (bare queries, sequential) median ${median(referenceMs).toFixed(0)} ms (${referenceMs.map((m) => m.toFixed(0)).join(", ")})`);
} finally {
  await prometheus.stop();
}
