import { afterEach, describe, expect, it } from "vitest";
import { GrafanaClient } from "../../src/grafana/client";
import { loadOutputs } from "../../src/grafana/manifest";
import { MANAGED_TAG } from "../../src/grafana/plan";
import { push, type ApiChoice } from "../../src/grafana/push";
import { generateSpec, writeOutDir } from "./fixtures";
import { GrafanaDouble, type DoubleOptions } from "./grafana-double";
import { clientFor, TOKEN } from "./helpers";

let double: GrafanaDouble | undefined;
afterEach(async () => {
  await double?.stop();
  double = undefined;
});

/** Each fault test runs against a Grafana without the resource API (legacy) and one with it (resources). */
const MODES = [
  { api: "legacy", options: {} },
  { api: "resources", options: { resourceApi: { versions: ["v1beta1"] } } },
] as const satisfies readonly { api: ApiChoice; options: DoubleOptions }[];

describe.each(MODES)("retries and timeouts ($api API)", ({ api, options }) => {
  it("with 20 % injected 500s, 429s (Retry-After) and dropped connections every dashboard ends up correct, once", async () => {
    double = await new GrafanaDouble({ ...options, faults: { rate: 0.2, seed: 42, kinds: ["500", "429", "drop", "drop-after"], retryAfterSeconds: 1 } }).start();
    const spec = generateSpec(40);
    const outputs = await loadOutputs(await writeOutDir(spec));
    const retries: string[] = [];
    const client = clientFor(double, { onRetry: (e) => retries.push(e.reason) });

    const result = await push(client, outputs, { message: "faulty", concurrency: 8, api });
    expect(result.api?.split(" ")[0]).toBe(api);

    expect(result.items.filter((i) => i.action === "failed")).toEqual([]);
    expect(result.ok).toBe(true);
    // Each fault kind really happened.
    const statuses = new Set(double.log.map((r) => r.status));
    expect(statuses).toContain(500);
    expect(statuses).toContain(429);
    expect(statuses).toContain("dropped");
    expect(retries.length).toBeGreaterThan(10);
    // Every dashboard exactly once, with the defined content, in the right folder.
    expect(double.dashboards.size).toBe(40);
    const titles = [...double.dashboards.values()].map((d) => d.dashboard.title);
    expect(new Set(titles).size).toBe(40);
    for (const d of spec.dashboards) {
      const stored = double.dashboards.get(d.uid)!;
      expect(stored.dashboard.panels).toEqual(d.model.panels);
      expect(stored.folderUid).toBe(d.folderUid);
      expect(stored.dashboard.tags).toContain(MANAGED_TAG);
    }
    expect([...double.folders.keys()].sort()).toEqual(["carbon", "carbon-kafka", "carbon-mesh"]);
    // Retry-After was honoured: the next request for the same path came at least ~1 s later.
    const log = double.log;
    const after429 = log.flatMap((r, i) => {
      if (r.status !== 429) return [];
      const next = log.slice(i + 1).find((n) => n.method === r.method && n.path === r.path && n.subject === r.subject);
      return next ? [next.at - r.at] : [];
    });
    expect(after429.length).toBeGreaterThan(0);
    for (const gap of after429) expect(gap).toBeGreaterThanOrEqual(950);

    // And a clean repeat on a healthy server writes nothing.
    double.options.faults = undefined;
    const writes = double.log.filter((r) => r.method !== "GET").length;
    const again = await push(clientFor(double), outputs, { message: "again", api });
    expect(again.items.every((i) => i.action === "unchanged")).toBe(true);
    expect(double.log.filter((r) => r.method !== "GET").length).toBe(writes);
  });

  it("does not retry a 4xx", async () => {
    double = await new GrafanaDouble().start();
    const client = clientFor(double);
    await expect(client.saveDashboard({ uid: "bad uid!", title: "x" }, "", "m")).rejects.toThrow(/uid contains illegal characters/);
    expect(double.count("POST", "/api/dashboards/db")).toBe(1);
  });

  it("gives up on persistent 500s after the retries, saying so", async () => {
    double = await new GrafanaDouble({ faults: { rate: 1, kinds: ["500"], spare: ["/api/health"] } }).start();
    const client = clientFor(double, { retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5, totalTimeMs: 5000 } });
    await expect(client.getDashboard("x")).rejects.toThrow(/GET \/api\/dashboards\/uid\/x failed with 500.*gave up after 4 attempt/);
    expect(double.log.length).toBe(4);
  });

  it("a Retry-After longer than the time left fails at once instead of waiting", async () => {
    double = await new GrafanaDouble({ faults: { rate: 1, kinds: ["429"], retryAfterSeconds: 60 } }).start();
    const client = clientFor(double, { retry: { retries: 5, minDelayMs: 1, maxDelayMs: 5, totalTimeMs: 2000 } });
    const started = Date.now();
    await expect(client.getFolder("x")).rejects.toThrow(/429.*Retry-After of 60s exceeds the time left/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("a server that hangs hits the per-request timeout, then the total limit, and fails clearly", async () => {
    // Reads of single dashboards hang, through either API.
    const dashboardRead = api === "legacy" ? /^\/api\/dashboards\/uid\// : /^\/apis\/dashboard\.grafana\.app\/.*\/dashboards\/./;
    double = await new GrafanaDouble({ ...options, hang: (m, p) => m === "GET" && dashboardRead.test(p) }).start();
    const client = clientFor(double, { requestTimeoutMs: 200, retry: { retries: 20, minDelayMs: 10, maxDelayMs: 20, totalTimeMs: 1000 } });
    const outputs = await loadOutputs(await writeOutDir(generateSpec(2)));
    const started = Date.now();
    const result = await push(client, outputs, { message: "m", api });
    const elapsed = Date.now() - started;

    expect(result.ok).toBe(false);
    const failed = result.items.filter((i) => i.action === "failed");
    expect(failed.map((i) => i.uid).sort()).toEqual(["dash-0000", "dash-0001"]);
    for (const f of failed) expect(f.error).toMatch(/GET \/apis?\/dashboard[^ ]*\/dash-000\d: (no response within 0.2s \(request timeout\)|total time limit of 1s exceeded)/);
    expect(elapsed).toBeLessThan(4000);
    expect(double.log.filter((r) => r.status === "hung").length).toBeGreaterThanOrEqual(4);
  });

  it("a refused connection is retried and reported with its cause", async () => {
    // A port that was just free: nothing listens there.
    const probe = await new GrafanaDouble().start();
    const url = probe.url;
    await probe.stop();
    const client = new GrafanaClient({ baseUrl: url, auth: { kind: "token", token: TOKEN }, retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2, totalTimeMs: 3000 } });
    await expect(client.health()).rejects.toThrow(/GET \/api\/health: ECONNREFUSED.*gave up after 3 attempt/);
  });
});
