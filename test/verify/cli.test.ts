// `npm run verify` end to end on complete synthetic data: every panel target and every rule ok,
// exit 0, the documented JSON shape; then through an authenticating reverse proxy serving the
// API under /prometheus (as Mimir does): token and header forwarded, the token never printed.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMetrics } from "../../catalogue/metrics";
import { PrometheusClient } from "../../src/verify/client";
import { readOut } from "../../src/verify/inputs";
import { exitCodeOf, verify, type VerifyReport } from "../../src/verify/verify";
import { freePort, type RunningPrometheus } from "../support/prometheus";
import { END, startScenario, STEP } from "./scenario";

const ROOT = join(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const SCRIPT = join(ROOT, "scripts/verify.ts");
const TOKEN = "prom-token-7f3c9a1e5b2d4f60";
const TENANT = "tenant-254";
const out = readOut(join(ROOT, "out"));

let prometheus: RunningPrometheus;
let report: VerifyReport;
let proxy: Server;
let proxyUrl: string;
let tlsProxy: Server;
let tlsProxyUrl: string;
const FIXTURES = join(import.meta.dirname, "fixtures");
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI without blocking this process (the proxy answers from here), at the data's end. */
function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [SCRIPT, ...args, ...(args.includes("--time") ? [] : ["--time", String(END)])], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every encoding the token could leak in. */
function leaks(text: string, secret: string): boolean {
  return [secret, Buffer.from(secret).toString("base64"), encodeURIComponent(secret), Buffer.from(`user:${secret}`).toString("base64")].some((s) => text.includes(s));
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

/**
 * Mimir-like: API under /prometheus, tenant header and bearer (or basic) token required. A
 * rejected request gets its Authorization header echoed back, as careless proxies do.
 */
async function mimirLike(req: IncomingMessage, res: ServerResponse): Promise<void> {
  seen.push({ path: req.url ?? "", headers: req.headers });
  const body = await new Promise<Buffer>((r) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => r(Buffer.concat(chunks)));
  });
  const okAuth = req.headers.authorization === `Bearer ${TOKEN}` || req.headers.authorization === `Basic ${Buffer.from(`user:${TOKEN}`).toString("base64")}`;
  if (!okAuth || req.headers["x-scope-orgid"] !== TENANT) {
    res.writeHead(401, { "content-type": "text/plain" }).end(`unauthorized: got ${req.headers.authorization ?? "nothing"}`);
    return;
  }
  if (!req.url?.startsWith("/prometheus/")) {
    res.writeHead(404).end("404 page not found");
    return;
  }
  const upstream = await fetch(`${prometheus.url}${req.url.slice("/prometheus".length)}`, {
    method: req.method,
    headers: req.headers["content-type"] ? { "content-type": req.headers["content-type"] } : {},
    body: req.method === "POST" ? body : undefined,
  });
  res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" }).end(Buffer.from(await upstream.arrayBuffer()));
}

beforeAll(async () => {
  prometheus = await startScenario({ metrics: allMetrics });
  const client = new PrometheusClient({ url: prometheus.url, auth: { kind: "none" } });
  report = await verify({ client, dashboards: out.dashboards, groups: out.groups, catalogue: allMetrics, rangeS: 3600, scrapeIntervalS: STEP, now: END });
  await client.close();

  proxy = createServer(mimirLike);
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}/prometheus`;
  // The same behind TLS with a certificate no public CA signed (a cluster-internal CA).
  tlsProxy = createHttpsServer({ cert: readFileSync(join(FIXTURES, "loopback.crt")), key: readFileSync(join(FIXTURES, "loopback.key")) }, mimirLike);
  tlsProxyUrl = `https://127.0.0.1:${await listen(tlsProxy)}/prometheus`;
}, 90_000);

afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  await new Promise((r) => tlsProxy?.close(r));
  await prometheus?.stop();
});

describe("verify on complete synthetic data", () => {
  it("finds every panel target and every rule expression ok", () => {
    const notOk = report.results.filter((r) => r.status !== "ok" || r.reason !== null).map((r) => `${r.dashboard ?? r.group} › ${r.panel ?? r.rule}: ${r.status} ${r.reason} ${r.detail}`);
    expect(notOk).toEqual([]);
    expect(report.results).toHaveLength(out.dashboards.flatMap((d) => d.targets).length + out.groups.flatMap((g) => g.rules).length);
    expect(report.results.filter((r) => r.kind === "panel").every((r) => r.series > 0)).toBe(true);
    expect(exitCodeOf(report)).toBe(0);
  });

  it("finds no catalogue drift: the data follows the catalogue", () => {
    expect(report.drift.findings).toEqual([]);
    expect(report.drift.present).toBe(allMetrics.length);
  });

  it("prints the documented JSON shape and exits 0", async () => {
    const run = await cli(["--prometheus", prometheus.url, "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { results: Record<string, unknown>[]; summary: Record<string, unknown>; unusedAllowEmpty: string[] };
    for (const r of json.results) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(["kind", "dashboard", "panel", "refId", "rule", "status", "series", "reason", "hint"]));
      expect(["panel", "rule"]).toContain(r.kind);
      if (r.kind === "panel") expect(out.dashboards.map((d) => d.uid)).toContain(r.dashboard);
      else expect(r.dashboard).toBeNull();
    }
    expect(json.results.filter((r) => r.kind === "panel")).toHaveLength(out.dashboards.flatMap((d) => d.targets).length);
    expect(json.summary).toMatchObject({ empty: 0, error: 0, exitCode: 0 });
    // Every verify.allowEmpty entry of build.config.ts names a panel or rule that exists.
    expect(json.unusedAllowEmpty).toEqual([]);
  });

  it("prints a table per dashboard and for the rules", async () => {
    const run = await cli(["--prometheus", prometheus.url]);
    expect(run.code).toBe(0);
    for (const d of out.dashboards) expect(run.stdout).toContain(`${d.uid} · ${d.title}`);
    expect(run.stdout).toMatch(/^rules \(checked against \/api\/v1\/rules/m);
    expect(run.stdout).not.toContain("\r"); // no progress when stderr is not a terminal
  });
});

describe("through an authenticating reverse proxy with a base path", () => {
  it("forwards the bearer token and the tenant header on every request and never prints the token", async () => {
    seen.length = 0;
    for (const format of ["text", "json"]) {
      const run = await cli(["--prometheus", proxyUrl, "--header", `X-Scope-OrgID: ${TENANT}`, "--format", format], { PROMETHEUS_TOKEN: TOKEN });
      expect(run.code, run.stderr).toBe(0);
      expect(leaks(run.stdout + run.stderr, TOKEN)).toBe(false);
    }
    expect(seen.length).toBeGreaterThan(out.dashboards.flatMap((d) => d.targets).length * 2);
    for (const r of seen) {
      expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.headers["x-scope-orgid"]).toBe(TENANT);
      expect(r.path).toMatch(/^\/prometheus\/api\/v1\//);
    }
  });

  it("uses basic auth from PROMETHEUS_USER/PROMETHEUS_PASSWORD", async () => {
    const run = await cli(["--prometheus", proxyUrl, "--header", `X-Scope-OrgID: ${TENANT}`, "--format", "json"], { PROMETHEUS_USER: "user", PROMETHEUS_PASSWORD: TOKEN });
    expect(run.code, run.stderr).toBe(0);
    expect(leaks(run.stdout + run.stderr, TOKEN)).toBe(false);
  });

  it("exits 2 on a rejected token, naming the 401 and not the token (the proxy echoes it)", async () => {
    const wrong = "wrong-token-9b8a7c6d5e4f";
    const run = await cli(["--prometheus", proxyUrl, "--header", `X-Scope-OrgID: ${TENANT}`], { PROMETHEUS_TOKEN: wrong });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/401/);
    expect(leaks(run.stdout + run.stderr, wrong)).toBe(false);
  });
});

describe("TLS", () => {
  const args = () => ["--prometheus", tlsProxyUrl, "--header", `X-Scope-OrgID: ${TENANT}`, "--format", "json"];

  it("refuses a certificate it cannot verify (exit 2, naming the TLS failure)", async () => {
    const run = await cli(args(), { PROMETHEUS_TOKEN: TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/certificate/i);
    expect(leaks(run.stderr, TOKEN)).toBe(false);
  });

  it("trusts the CA given with --ca-file", async () => {
    const run = await cli([...args(), "--ca-file", join(FIXTURES, "loopback.crt")], { PROMETHEUS_TOKEN: TOKEN });
    expect(run.code, run.stderr + run.stdout.slice(0, 3000)).toBe(0);
  });
});

describe("usage and connection errors exit 2", () => {
  it.each([
    [[], /no Prometheus/],
    [["--prometheus", "http://127.0.0.1:9", "--range", "1 hour"], /--range/],
    [["--prometheus", "http://127.0.0.1:9", "--var", "novalue"], /--var/],
    [["--prometheus", "http://127.0.0.1:9", "--format", "xml"], /--format/],
    [["--prometheus", "http://127.0.0.1:9", "--time", "yesterday"], /--time/],
    [["--prometheus", "http://127.0.0.1:9", "--timeout", "99999999999"], /--timeout/],
    [["--prometheus", "ftp://example.com"], /http\(s\)/],
  ])("%j", async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("refuses credentials over plain http to another host", async () => {
    const run = await cli(["--prometheus", "http://prometheus.example:9090"], { PROMETHEUS_TOKEN: TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/plain http/);
    expect(leaks(run.stderr, TOKEN)).toBe(false);
  });

  it("names the address it cannot reach", async () => {
    const port = await freePort();
    const run = await cli(["--prometheus", `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`cannot reach http://127.0.0.1:${port}.*ECONNREFUSED`));
  });

  it("says when the URL is not a Prometheus API", async () => {
    const run = await cli(["--prometheus", `${proxyUrl.replace(/\/prometheus$/, "")}`, "--header", `X-Scope-OrgID: ${TENANT}`], { PROMETHEUS_TOKEN: TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not a Prometheus API answer|base URL/);
  });
});
