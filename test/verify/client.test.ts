// The Prometheus client against servers that misbehave: a busy frontend (503, then an answer),
// one that never recovers (bounded attempts), an error body that echoes the token, a login page.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ConnectionError, PrometheusClient, QueryError } from "../../src/verify/client";

const TOKEN = "client-token-5e6f7a8b9c0d";
const SCALAR = JSON.stringify({ status: "success", data: { resultType: "scalar", result: [0, "1"] } });
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<{ url: string; count: () => number }> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, ++n));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  stops.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, count: () => n };
}

function client(url: string): PrometheusClient {
  const c = new PrometheusClient({ url, auth: { kind: "token", token: TOKEN }, timeoutMs: 5000 });
  stops.push(() => c.close());
  return c;
}

describe("PrometheusClient", () => {
  it("retries a busy server's 503 and gets the answer", async () => {
    const server = await serve((_, res, n) => (n <= 2 ? res.writeHead(503).end("overloaded") : res.writeHead(200, { "content-type": "application/json" }).end(SCALAR)));
    const r = await client(server.url).query("1", 0);
    expect(r.values).toEqual([1]);
    expect(server.count()).toBe(3);
  });

  it("gives up after a bounded number of attempts", async () => {
    const server = await serve((_, res) => res.writeHead(503).end("overloaded"));
    await expect(client(server.url).query("1", 0)).rejects.toBeInstanceOf(QueryError);
    expect(server.count()).toBe(3);
  });

  it("does not retry a query Prometheus rejects (400), and never shows the token it echoes", async () => {
    const server = await serve((req, res) =>
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ status: "error", errorType: "bad_data", error: `parse error; you sent ${req.headers.authorization}` })),
    );
    const error = await client(server.url).query("1 +", 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as Error).message).toMatch(/^bad_data: parse error/);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(server.count()).toBe(1);
  });

  it("treats a 200 that is not the Prometheus API (a login page) as a connection problem", async () => {
    const server = await serve((_, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>Sign in</html>"));
    await expect(client(server.url).query("1", 0)).rejects.toThrow(ConnectionError);
    await expect(client(server.url).query("1", 0)).rejects.toThrow(/not a Prometheus API answer: <html>Sign in/);
  });

  it("reports a redirect instead of following it with the token", async () => {
    const server = await serve((_, res) => res.writeHead(302, { location: "http://elsewhere.example/" }).end());
    await expect(client(server.url).query("1", 0)).rejects.toThrow(/redirected \(302\)/);
    expect(server.count()).toBe(1);
  });

  it("times out a server that never answers", async () => {
    const server = await serve(() => undefined);
    const slow = new PrometheusClient({ url: server.url, auth: { kind: "none" }, timeoutMs: 300 });
    stops.unshift(() => slow.close());
    await expect(slow.query("1", 0)).rejects.toThrow(/no answer within 0.3s/);
  });

  it("refuses a header value with a line break", () => {
    expect(() => new PrometheusClient({ url: "http://127.0.0.1:9", auth: { kind: "none" }, headers: { "X-Scope-OrgID": "a\r\nInjected: 1" } })).toThrow(/line breaks/);
  });
});
