import { spawnSync } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main, type CliDeps } from "../../scripts/push";
import { ALL_PERMISSIONS, GrafanaDouble } from "./grafana-double";
import { generateSpec, writeOutDir } from "./fixtures";
import { FAST_RETRY, TOKEN } from "./helpers";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], env: Record<string, string | undefined>, cwd: string, deps: CliDeps = {}, isTTY = false): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, env, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY, cwd }, {
    findStaleOutputs: async () => [],
    gitCommit: () => "abc1234",
    http: { retry: FAST_RETRY },
    ...deps,
  });
  return { code, stdout, stderr };
}

let double: GrafanaDouble;
let outDir: string;
let env: Record<string, string>;
beforeEach(async () => {
  double = await new GrafanaDouble().start();
  outDir = await writeOutDir(generateSpec(5));
  env = { GRAFANA_URL: double.url, GRAFANA_TOKEN: TOKEN };
});
afterEach(async () => {
  await double.stop();
});

const cwdArgs = () => ["--out", outDir];

describe("npm run push (main)", () => {
  it("pushes, prints a summary and exits 0; the default message is the git commit", async () => {
    const r = await run(cwdArgs(), env, "/");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/folders: 3 created, 0 updated, 0 unchanged, 0 failed; dashboards: 5 created, 0 updated, 0 unchanged, 0 failed; \d+\.\d\d s/);
    expect(r.stdout).toMatch(/^create    dashboard dash-0000 \(Dashboard 0\)$/m);
    expect(double.dashboards.get("dash-0000")?.history[0]?.message).toBe("254carbon-observability abc1234");
    const again = await run([...cwdArgs(), "-m", "release 7"], env, "/");
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/dashboards: 0 created, 0 updated, 5 unchanged/);
  });

  it("--dry-run prints the plan with diffs and writes nothing", async () => {
    await run(cwdArgs(), env, "/");
    const spec = generateSpec(5);
    (spec.dashboards[1]!.model.panels as { title: string }[])[0]!.title = "Changed";
    spec.dashboards.pop();
    await writeOutDir(spec, outDir);
    const writes = double.log.filter((r) => r.method !== "GET").length;
    const r = await run([...cwdArgs(), "--dry-run", "--prune"], env, "/");
    expect(r.code).toBe(0);
    expect(double.log.filter((r) => r.method !== "GET").length).toBe(writes);
    expect(r.stdout).toMatch(/^update    dashboard dash-0001 \(Dashboard 1\)\n {10}~ \$\.panels\[0\]\.title$/m);
    expect(r.stdout).toMatch(/^delete    dashboard dash-0004/m);
    expect(r.stdout).toMatch(/^unchanged dashboard dash-0000/m);
    expect(r.stdout).toMatch(/^Dry run \(nothing written\)\. .*1 deleted/m);
  });

  it("on a terminal it draws progress in place", async () => {
    const r = await run(cwdArgs(), env, "/", {}, true);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\r\x1b[2K[8/8]");
  });

  it("401 api-key.invalid: says the token is invalid, exits 1, never prints the token", async () => {
    const bad = "glsa_wrong_token_abcdefghijklmnop";
    const r = await run(cwdArgs(), { ...env, GRAFANA_TOKEN: bad }, "/");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/authentication failed \(401 api-key\.invalid\).*token is invalid/);
    expect(r.stdout + r.stderr).not.toContain(bad);
    // Stops after the first 401 instead of failing every object separately against the server.
    expect(double.log.filter((l) => l.status === 401).length).toBe(1);
    expect(double.dashboards.size).toBe(0);
  });

  it("401 api-key.expired says the token has expired", async () => {
    double.options.tokenState = "api-key.expired";
    const r = await run(cwdArgs(), env, "/");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/401 api-key\.expired.*token has expired/);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it("403 names the missing permission, exits 1 after trying everything else", async () => {
    double.options.permissions = new Set([...ALL_PERMISSIONS].filter((p) => p !== "dashboards:create"));
    double.seedFolder({ uid: "carbon", title: "254Carbon" });
    const r = await run(cwdArgs(), env, "/");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/permission denied \(403\) on POST \/api\/dashboards\/db: the service account lacks the permission dashboards:create/);
    // Folders still went through; every dashboard was tried.
    expect(double.folders.size).toBe(3);
    expect(double.count("POST", "/api/dashboards/db")).toBe(5);
    expect(r.stdout).toMatch(/dashboards: 0 created, 0 updated, 0 unchanged, 5 failed/);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it("basic auth works, and the password never appears in output", async () => {
    double.options.basic = { user: "ci", password: "s3cret-passw0rd" };
    const r = await run(cwdArgs(), { GRAFANA_URL: double.url, GRAFANA_USER: "ci", GRAFANA_PASSWORD: "s3cret-passw0rd" }, "/");
    expect(r.code).toBe(0);
    double.options.basic = { user: "ci", password: "other" };
    const denied = await run(cwdArgs(), { GRAFANA_URL: double.url, GRAFANA_USER: "ci", GRAFANA_PASSWORD: "s3cret-passw0rd" }, "/");
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/authentication failed \(401\)/);
    expect(denied.stdout + denied.stderr).not.toMatch(/s3cret-passw0rd|Y2k6czNjcmV0LXBhc3N3MHJk/);
  });

  it("redacts the token even when the server echoes it back", async () => {
    double.options.echoAuthorizationOn500 = true;
    double.options.faults = { rate: 1, kinds: ["500"], spare: ["/api/health"] };
    const r = await run(cwdArgs(), env, "/", { http: { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1, totalTimeMs: 2000 } } });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("upstream error for Bearer [REDACTED]");
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it("refuses plain http to a non-loopback host unless --allow-insecure-http", async () => {
    const r = await run(cwdArgs(), { ...env, GRAFANA_URL: "http://grafana.example.com" }, "/");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to send credentials over plain http to grafana\.example\.com/);
    expect(double.log).toEqual([]);
    // With the flag the URL is accepted (the push then fails to connect: .invalid never resolves).
    const allowed = await run([...cwdArgs(), "--allow-insecure-http", "--retry-time", "1"], { ...env, GRAFANA_URL: "http://grafana.invalid" }, "/");
    expect(allowed.code).toBe(1);
    expect(allowed.stderr).toMatch(/health check failed/);
  });

  it("refuses credentials embedded in GRAFANA_URL without echoing them", async () => {
    const r = await run(cwdArgs(), { ...env, GRAFANA_URL: "https://admin:hunter22@grafana.example.com" }, "/");
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("hunter22");
  });

  it.each([
    [["--bogus"], {}, /Unknown option '--bogus'/],
    [["--concurrency", "zero"], {}, /--concurrency must be a positive number/],
    [[], { GRAFANA_URL: undefined }, /GRAFANA_URL is not set/],
    [[], { GRAFANA_TOKEN: undefined }, /GRAFANA_TOKEN is not set/],
    [[], { GRAFANA_ORG_ID: "abc" }, /GRAFANA_ORG_ID must be a positive integer/],
    [[], { GRAFANA_URL: "not a url" }, /GRAFANA_URL is not a valid URL/],
  ])("bad usage %j %j exits 2", async (argv, envPatch, message) => {
    const r = await run([...cwdArgs(), ...argv], { ...env, ...envPatch }, "/");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(double.log).toEqual([]);
  });

  it("--api: auto says which API it used, resources refuses a server without it, a bad value is usage", async () => {
    const auto = await run(cwdArgs(), env, "/");
    expect(auto.stdout).toMatch(/^API: legacy \(\/api\): GET \/apis answered 200 without an API group list/m);
    const writes = double.writes().length;
    const resources = await run([...cwdArgs(), "--api", "resources"], env, "/");
    expect(resources.code).toBe(1);
    expect(resources.stderr).toMatch(/error: --api resources: GET \/apis answered 200 without an API group list .*; use --api legacy \(or auto\)/);
    expect(double.writes().length).toBe(writes);
    const bad = await run([...cwdArgs(), "--api", "kubernetes"], env, "/");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--api must be one of legacy, resources, auto, got "kubernetes"/);
  });

  it("sends X-Grafana-Org-Id when GRAFANA_ORG_ID is set", async () => {
    const r = await run(cwdArgs(), { ...env, GRAFANA_ORG_ID: "3" }, "/");
    expect(r.code).toBe(0);
    expect(double.log.length).toBeGreaterThan(5);
    expect(double.log.every((l) => l.orgId === "3")).toBe(true);
  });

  it("refuses a missing or stale out/ and says to run the build", async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), "push-empty-"));
    const missing = await run(["--out", empty], env, "/");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/manifest\.json does not exist; run `npm run build` first/);

    const stale = await run(cwdArgs(), env, "/", { findStaleOutputs: async () => ["dashboards/dash-0000.json"] });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/is stale .*run `npm run build` first\. Stale:\n {2}dashboards\/dash-0000\.json/);
    expect(double.log).toEqual([]);
  });

  it("a malformed manifest is reported with the file name", async () => {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(outDir, "manifest.json"), JSON.stringify({ folders: [{ uid: "a b", title: "" }], dashboards: [] }));
    const r = await run(cwdArgs(), env, "/");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(outDir, "manifest.json")} is malformed`);
    expect(r.stderr).toMatch(/\/folders\/0\/uid must match pattern/);
  });
});

describe("npm run push (real process)", () => {
  it("exits 2 on an unknown flag and 2 on insecure http, printing usage", () => {
    const script = path.resolve(__dirname, "../../scripts/push-entry.mjs");
    const unknown = spawnSync(process.execPath, [script, "--nope"], { encoding: "utf8", env: { ...process.env, GRAFANA_URL: "https://g.example", GRAFANA_TOKEN: TOKEN } });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--nope'[\s\S]*Usage: npm run push/);
    const insecure = spawnSync(process.execPath, [script], { encoding: "utf8", env: { ...process.env, GRAFANA_URL: "http://10.0.0.5:3000", GRAFANA_TOKEN: TOKEN } });
    expect(insecure.status).toBe(2);
    expect(insecure.stderr + insecure.stdout).not.toContain(TOKEN);
  });
});
