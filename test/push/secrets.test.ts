// Issue 11 item 8: the credential appears 0 times in anything the push process prints, in any
// form: raw, URL-encoded, base64 at any byte alignment, inside a 1 KB error body, echoed back in
// an Authorization header, or in a child's environment (NODE_DEBUG=child_process prints it).
// The CLI runs as a real child process against the real out/; everything it prints is searched.

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Redactor } from "../../src/grafana/redact";
import { GrafanaDouble } from "./grafana-double";

const ROOT = path.resolve(import.meta.dirname, "../..");
// A random-looking token: any 8 consecutive characters of it are evidence of a leak.
const TOKEN = "glsa_Zq9xY7wV3uT1sR5pO2nM8lK4jH6gF0dE_a1b2c3d4";

let double: GrafanaDouble | undefined;
let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "push-secrets-"));
});
afterEach(async () => {
  await double?.stop();
  double = undefined;
  rmSync(tmp, { recursive: true, force: true });
});

/** Every way `secret` (or 8 consecutive characters of it) can be read back out of `output`. */
function leaks(output: string, secret: string): string[] {
  const windows = Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8));
  const found: string[] = [];
  const check = (how: string, text: string) => {
    for (const w of windows) if (text.includes(w)) found.push(`${how}: ${w}`);
  };
  check("raw", output);
  check("url-decoded", output.replace(/(%[0-9a-fA-F]{2})+/g, (m) => Buffer.from(m.replace(/%/g, ""), "hex").toString("latin1")));
  for (const run of output.match(/[A-Za-z0-9+/_-]{8,}={0,2}/g) ?? []) {
    const std = run.replace(/-/g, "+").replace(/_/g, "/");
    for (let shift = 0; shift < 4; shift++) check(`base64 at ${shift}`, Buffer.from(std.slice(shift), "base64").toString("latin1"));
  }
  return [...new Set(found)];
}

/**
 * Runs `npm run push`'s command (node scripts/push-entry.mjs) and returns all it printed. tsx
 * keeps its transform cache under TMPDIR: a fresh one makes the TypeScript loader start its
 * esbuild child as on a fresh CI machine, so its environment is printed and searched too.
 */
function runPush(args: string[], env: Record<string, string>, tmpdir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "scripts/push-entry.mjs"), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TMPDIR: tmpdir, NODE_DEBUG: "child_process", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, output: stdout + stderr }),
    );
  });
}

describe("the leak detector", () => {
  it("finds the token in every form the test looks for", () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    for (const form of [TOKEN, encodeURIComponent(`x ${TOKEN}`), b64(TOKEN), b64(`a${TOKEN}`), b64(`ab${TOKEN}`), `${TOKEN.slice(0, 12)}…`])
      expect(leaks(`some text ${form} more`, TOKEN)).not.toEqual([]);
    expect(leaks("nothing to see [REDACTED]", TOKEN)).toEqual([]);
  });

  it("the redactor leaves nothing it can find, at any alignment and cut", () => {
    const r = new Redactor().add(TOKEN);
    for (const prefix of ["", "x", "xy", "xyz"]) {
      const body = `${"y".repeat(290)}token=${TOKEN} ${Buffer.from(`${prefix}${TOKEN}!`).toString("base64")} ${encodeURIComponent(TOKEN)}`;
      expect(leaks(r.redact(body), TOKEN)).toEqual([]);
      expect(leaks(r.snippet(body, 300), TOKEN)).toEqual([]);
    }
  });
});

describe("npm run push prints no credential, in any form", () => {
  it("token: echoed in 1 KB error bodies (raw, URL-encoded, base64 at every alignment, Authorization header), retries, children", async () => {
    double = await new GrafanaDouble({ token: TOKEN, script: (_m, p) => (p === "/api/health" ? undefined : "echo-secrets") }).start();
    const { code, output } = await runPush(["--alerts", "--prune", "--retry-time", "1", "--deadline", "20"], { GRAFANA_URL: double.url, GRAFANA_TOKEN: TOKEN }, tmp);

    expect(code).toBe(1);
    // The run really went through the hostile paths: error bodies, retries, the git child.
    expect(output).toMatch(/^retry {5}GET \/api\/folders\//m);
    expect(output).toContain("upstream connect error");
    expect(output).toMatch(/CHILD_PROCESS \d+: spawnSync[\s\S]*'git', 'rev-parse'/);
    expect(output).toMatch(/CHILD_PROCESS \d+: spawn [\s\S]*esbuild/); // the loader's child, on a cold cache
    expect(double.log.some((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(leaks(output, TOKEN)).toEqual([]);
  }, 90_000);

  it("basic auth: neither the password nor the whole user:password leaks", async () => {
    const user = "ci-pusher";
    const password = "pW7!xQ2#vB9$kL4%mN";
    double = await new GrafanaDouble({ basic: { user, password }, script: (_m, p) => (p === "/api/health" ? undefined : "echo-secrets") }).start();
    const { code, output } = await runPush(["--retry-time", "1", "--deadline", "20"], { GRAFANA_URL: double.url, GRAFANA_USER: user, GRAFANA_PASSWORD: password }, tmp);

    expect(code).toBe(1);
    expect(output).toContain("upstream connect error");
    expect(leaks(output, password)).toEqual([]);
    // The user name alone is not a secret (children may see GRAFANA_USER); any window reaching past it is.
    expect(leaks(output, `${user}:${password}`).filter((hit) => !user.includes(hit.slice(hit.indexOf(": ") + 2)))).toEqual([]);
  }, 90_000);

  it("--help says \"basic auth\" as it is: the mask matches credentials, not English", async () => {
    const { code, output } = await runPush(["--help"], { GRAFANA_TOKEN: TOKEN }, tmp);
    expect(code).toBe(0);
    expect(output).toContain("GRAFANA_USER, GRAFANA_PASSWORD   basic auth, when no token is set");
    expect(output).not.toContain("[REDACTED]");
    const r = new Redactor();
    expect(r.redact("use Basic authentication or a Bearer token")).toBe("use Basic authentication or a Bearer token");
    expect(r.redact("Authorization: Basic Y2k6czNjcmV0LXBhc3N3MHJk")).toBe("Authorization: Basic [REDACTED]");
    expect(r.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")).toBe("Authorization: Bearer [REDACTED]");
  }, 60_000);
});
