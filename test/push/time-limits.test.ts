// Issue 11 items 5 and 6: failures that cannot heal fail at once, an unreachable Grafana fails at
// the health check within seconds, --deadline bounds the whole push, timer values are checked.

import { afterEach, describe, expect, it } from "vitest";
import { GrafanaClient } from "../../src/grafana/client";
import { UsageError } from "../../src/grafana/errors";
import { classifyNetworkError, MAX_TIMER_MS, type RetryEvent } from "../../src/grafana/http";
import { loadOutputs } from "../../src/grafana/manifest";
import { push } from "../../src/grafana/push";
import { main } from "../../scripts/push";
import { generateSpec, writeOutDir } from "./fixtures";
import { GrafanaDouble } from "./grafana-double";
import { FAST_RETRY, TOKEN } from "./helpers";

/** Quick retries without end: only a time limit stops them. */
const ENDLESS = { retries: 1_000_000, minDelayMs: 5, maxDelayMs: 50, totalTimeMs: 20_000 };

let double: GrafanaDouble | undefined;
afterEach(async () => {
  await double?.stop();
  double = undefined;
});

/** A push with the default retry policy (120 s per request, 8 retries), as the CLI runs it. */
async function pushTo(baseUrl: string, token = TOKEN) {
  const retries: RetryEvent[] = [];
  const client = new GrafanaClient({ baseUrl, auth: { kind: "token", token }, allowInsecureHttp: true, onRetry: (e) => retries.push(e) });
  const outputs = await loadOutputs(await writeOutDir(generateSpec(3)));
  const started = Date.now();
  const result = await push(client, outputs, { message: "m", dryRun: true });
  return { result, retries, elapsed: Date.now() - started };
}

async function freePort(): Promise<string> {
  const probe = await new GrafanaDouble().start();
  const url = probe.url;
  await probe.stop();
  return url;
}

describe("failures that cannot heal fail at once (item 5)", () => {
  it("connection refused: the health check fails within 5 s, saying so", async () => {
    const { result, elapsed, retries } = await pushTo(await freePort());
    expect(result.ok).toBe(false);
    expect(result.fatal).toMatch(/^Grafana health check failed: GET \/api\/health: ECONNREFUSED/);
    expect(retries.length).toBeGreaterThan(0); // refused may be a restart: retried, but only briefly
    expect(elapsed).toBeLessThanOrEqual(5000);
    expect(result.items).toEqual([]);
  });

  it("an unknown host (ENOTFOUND) is not retried; a resolver hiccup (EAI_AGAIN) only within the health window", async () => {
    const { result, elapsed, retries } = await pushTo("http://grafana.invalid");
    expect(result.fatal).toMatch(/health check failed: GET \/api\/health: (ENOTFOUND: host grafana\.invalid not found|EAI_AGAIN)/);
    if (/ENOTFOUND/.test(result.fatal!)) expect(retries).toEqual([]);
    expect(elapsed).toBeLessThanOrEqual(5000);
  });

  it("a port fetch refuses to use is not retried", async () => {
    const { result, retries, elapsed } = await pushTo("http://127.0.0.1:6000");
    expect(result.fatal).toMatch(/port 6000 is blocked/);
    expect(retries).toEqual([]);
    expect(elapsed).toBeLessThan(2000);
  });

  it("a TLS failure (https to a plain-http port) is not retried", async () => {
    double = await new GrafanaDouble().start();
    const { result, retries } = await pushTo(double.url.replace("http:", "https:"));
    expect(result.fatal).toMatch(/TLS error ERR_SSL_WRONG_VERSION_NUMBER/);
    expect(retries).toEqual([]);
  });

  it("a token with a line break (an invalid header) is not retried and not echoed", async () => {
    double = await new GrafanaDouble().start();
    const bad = `${TOKEN}\r\nX-Injected: 1`;
    const { result, retries, elapsed } = await pushTo(double.url, bad);
    expect(result.fatal).toMatch(/a request header is invalid \(does a credential contain a line break/);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(retries).toEqual([]);
    expect(elapsed).toBeLessThan(2000);
    expect(double.log).toEqual([]); // refused before anything was sent
  });

  it("classifies errors by cause: ENOTFOUND and TLS are permanent; EAI_AGAIN, ECONNRESET are not", () => {
    const url = new URL("https://grafana.example.com");
    const failed = (code: string, message = code) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(message), { code }) });
    expect(classifyNetworkError(failed("ENOTFOUND"), url).retryable).toBe(false);
    expect(classifyNetworkError(failed("CERT_HAS_EXPIRED"), url).retryable).toBe(false);
    expect(classifyNetworkError(failed("DEPTH_ZERO_SELF_SIGNED_CERT"), url).retryable).toBe(false);
    expect(classifyNetworkError(failed("ERR_TLS_CERT_ALTNAME_INVALID"), url).retryable).toBe(false);
    expect(classifyNetworkError(failed("EAI_AGAIN"), url).retryable).toBe(true);
    expect(classifyNetworkError(failed("ECONNRESET"), url).retryable).toBe(true);
    expect(classifyNetworkError(failed("UND_ERR_SOCKET", "other side closed"), url).retryable).toBe(true);
  });
});

describe("--deadline bounds the whole push (item 5)", () => {
  it("every request answering 503: --alerts --prune on 3 dashboards stops at the deadline, the rest skipped", async () => {
    double = await new GrafanaDouble({ faults: { rate: 1, kinds: ["503"], spare: ["/api/health"] } }).start();
    const spec = generateSpec(3);
    spec.alertGroups = [{ name: "g", folderUid: "carbon", body: { title: "g", folderUid: "carbon", interval: 60, rules: [] } }];
    const outputs = await loadOutputs(await writeOutDir(spec));
    // Each request alone may retry for 20 s; the push as a whole gets 1.5 s.
    const client = new GrafanaClient({ baseUrl: double.url, auth: { kind: "token", token: TOKEN }, retry: ENDLESS });
    const started = Date.now();
    // Legacy: the item-level checks below follow its requests (resources mode: test/push/resources.test.ts).
    const result = await push(client, outputs, { message: "m", alerts: true, prune: true, deadlineMs: 1500, api: "legacy" });
    const elapsed = Date.now() - started;

    expect(elapsed).toBeLessThan(3000);
    expect(result.ok).toBe(false);
    expect(result.fatal).toBe("the push deadline of 1.5 s was reached");
    expect(result.items.find((i) => i.uid === "carbon")?.error).toMatch(/deadline of 1\.5 s was reached/);
    expect(result.items.filter((i) => i.action === "skipped").length).toBeGreaterThanOrEqual(6); // 2 folders, 3 dashboards, 1 group
    expect(double.count("DELETE", "/")).toBe(0);
  });
});

describe("CLI time values (items 5 and 6)", () => {
  async function cli(argv: string[], url = "http://127.0.0.1:9", retry = FAST_RETRY) {
    let stdout = "";
    let stderr = "";
    const outDir = await writeOutDir(generateSpec(3));
    const code = await main(["--out", outDir, ...argv], { GRAFANA_URL: url, GRAFANA_TOKEN: TOKEN }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, cwd: "/" }, {
      findStaleOutputs: async () => [],
      gitCommit: () => "abc1234",
      http: { retry },
    });
    return { code, stdout, stderr };
  }

  it.each([
    [["--timeout", String(Math.ceil(MAX_TIMER_MS / 1000) + 1)], /--timeout must be at most 2147483 seconds \(Node's timer limit\)/],
    [["--retry-time", "9999999999"], /--retry-time must be at most 2147483 seconds/],
    [["--deadline", "3000000"], /--deadline must be at most 2147483 seconds/],
    [["--deadline", "10", "--retry-time", "20"], /--retry-time \(20 s\) must not exceed --deadline \(10 s\)/],
    [["--deadline", "0"], /--deadline must be a positive number/],
  ])("%j exits 2", async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("the library refuses timer values Node cannot hold", () => {
    const base = { baseUrl: "http://127.0.0.1:9", auth: { kind: "token" as const, token: TOKEN } };
    expect(() => new GrafanaClient({ ...base, requestTimeoutMs: 2 ** 31 })).toThrow(UsageError);
    expect(() => new GrafanaClient({ ...base, retry: { totalTimeMs: 2 ** 32 } })).toThrow(/retry time must be between 1 ms and 2147483647 ms/);
    expect(() => new GrafanaClient(base).withDeadline(Infinity)).toThrow(UsageError);
  });

  it("--deadline bounds a CLI push against an always-503 server", async () => {
    // Folders answer; every dashboard request gets 503 and is retried for the whole --retry-time.
    double = await new GrafanaDouble({ faults: { rate: 1, kinds: ["503"], spare: ["/api/health", "/api/folders"] } }).start();
    const started = Date.now();
    const r = await cli(["--deadline", "1", "--concurrency", "1", "--prune"], double.url, { ...ENDLESS, totalTimeMs: 1000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: the push deadline of 1 s was reached/);
    expect(r.stdout).toMatch(/skipped/);
  });

  it("a 429 whose Retry-After exceeds the time left is not printed as a retry", async () => {
    double = await new GrafanaDouble({ faults: { rate: 1, kinds: ["429"], retryAfterSeconds: 600, spare: ["/api/health"] } }).start();
    const r = await cli(["--retry-time", "5", "--api", "legacy"], double.url);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/429.*Retry-After of 600s exceeds the time left/);
    expect(r.stdout).not.toMatch(/^retry/m);
    expect(double.log.filter((l) => l.status === 429).length).toBe(1); // the first folder; the rest keep going
  });

  it("a token with a line break is refused as bad usage, without echoing it", async () => {
    let stderr = "";
    const code = await main([], { GRAFANA_URL: "http://127.0.0.1:9", GRAFANA_TOKEN: `${TOKEN}\n` }, { stdout: () => {}, stderr: (t) => (stderr += t), isTTY: false, cwd: "/" });
    expect(code).toBe(2);
    expect(stderr).toMatch(/GRAFANA_TOKEN contains a line break or control character/);
    expect(stderr).not.toContain(TOKEN);
  });
});
