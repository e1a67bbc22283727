// The CLI end to end: output shape, exit codes, JSON, suppression, bad input.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const SCRIPT = join(ROOT, "scripts/lint.ts");
let dir: string;

function run(args: string[], cwd = dir) {
  const r = spawnSync(TSX, [SCRIPT, ...args], { cwd, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cleanRules = `groups:
  - name: kong
    rules:
      - alert: KongDatastoreUnreachable
        expr: kong_datastore_reachable < 1
        for: 2m
        labels: { severity: critical }
        annotations:
          summary: Kong cannot reach its datastore.
          description: "Kong reports datastore reachable = {{ $value }}."
`;
const badRules = cleanRules.replace("kong_datastore_reachable < 1", "rate(kong_nginx_connections_total[5m])");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lint-cli-"));
  writeFileSync(join(dir, "clean.yaml"), cleanRules);
  writeFileSync(join(dir, "bad.yaml"), badRules);
  writeFileSync(join(dir, "broken.json"), "{ not json");
  writeFileSync(join(dir, "notes.yaml"), "hello: world\n");
  writeFileSync(join(dir, "dash.json"), readFileSync(join(import.meta.dirname, "fixtures/panels.json"), "utf8"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run lint", () => {
  it("exits 0 on clean input", () => {
    const r = run(["clean.yaml"]);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(0);
  });

  it("prints `file: group › rule: rule-id: message` and exits 1 on errors", () => {
    const r = run(["bad.yaml", "clean.yaml"]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toContain(
      "bad.yaml: kong › KongDatastoreUnreachable: gauge-not-rated: kong_nginx_connections_total is a gauge: rate() of a gauge is meaningless (use deriv()/delta() or the value itself)",
    );
    expect(lines.some((l) => l.startsWith("bad.yaml: kong › KongDatastoreUnreachable: alert-always-firing: "))).toBe(true);
  });

  it("prints dashboard findings as `file: dashboard › panel: rule-id: message`", () => {
    // House style (descriptions, datasource variable) is on only in the own and strict profiles.
    expect(run(["dash.json"]).stdout).not.toContain("panel-title-description");
    const r = run(["--profile", "strict", "dash.json"]);
    // The fixture lacks descriptions and units on purpose of brevity: errors, exit 1.
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("dash.json: Lint fixture › 5xx ratio: panel-title-description: panel has no description");
    expect(r.stdout).toMatch(/dash\.json: Lint fixture › 5xx ratio: panel-datasource: /);
  });

  it("--format json lists every finding", () => {
    const r = run(["--format", "json", "bad.yaml"]);
    const json = JSON.parse(r.stdout) as { summary: { errors: number }; findings: { file: string; location: string[]; rule: string; severity: string }[] };
    expect(json.summary.errors).toBe(json.findings.filter((f) => f.severity === "error").length);
    expect(json.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(["gauge-not-rated", "alert-always-firing"]));
    expect(json.findings[0]!.location).toEqual(["kong", "KongDatastoreUnreachable"]);
    expect(new Set(json.findings.map((f) => (f as { class?: string }).class))).toEqual(new Set(["correctness"]));
    expect(r.code).toBe(1);
  });

  it("exits 2 naming the file and reason on unreadable input", () => {
    const broken = run(["broken.json"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("broken.json: cannot lint: invalid JSON");
    const notes = run(["notes.yaml"]);
    expect(notes.code).toBe(2);
    expect(notes.stderr).toContain("notes.yaml: cannot lint: neither a Prometheus rule file");
    const missing = run(["clean.yaml", "missing.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing.yaml: cannot lint: no such file");
  });

  it("exits 2 on an unknown profile", () => {
    const r = run(["--profile", "lenient", "clean.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--profile must be one of own, foreign, strict");
  });

  it("exits 2 on bad usage and when out/ is missing", () => {
    expect(run(["--bogus"]).code).toBe(2);
    expect(run(["--format", "xml", "clean.yaml"]).code).toBe(2);
    const noOut = run([]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("out: not found; run `npm run build` first");
  });

  it("lints out/ by default, PrometheusRule YAML under out/k8s included, other k8s YAML skipped", () => {
    const project = mkdtempSync(join(tmpdir(), "lint-proj-"));
    try {
      mkdirSync(join(project, "out/prometheus"), { recursive: true });
      mkdirSync(join(project, "out/k8s"), { recursive: true });
      writeFileSync(join(project, "out/prometheus/a.yaml"), cleanRules);
      writeFileSync(join(project, "out/k8s/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n");
      const resource = `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: { name: r }\nspec:\n${badRules.replace(/^/gm, "  ")}`;
      writeFileSync(join(project, "out/k8s/rule.yaml"), resource);
      const r = run([], project);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("out/k8s/rule.yaml: kong › KongDatastoreUnreachable: gauge-not-rated:");
      expect(r.stdout).not.toContain("out/prometheus/a.yaml");
      expect(r.stderr).toContain("2 file(s)");
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it("suppressions from lint.config.yaml are listed with their reason and do not fail the run", () => {
    writeFileSync(
      join(dir, "lint.config.yaml"),
      `exclusions:
  - rule: gauge-not-rated
    file: bad.yaml
    alert: KongDatastoreUnreachable
    reason: demo of a suppression
  - rule: alert-always-firing
    group: kong
    reason: fires on purpose
`,
    );
    try {
      const r = run(["bad.yaml"]);
      expect(r.stdout).toContain("gauge-not-rated: kong_nginx_connections_total is a gauge: rate() of a gauge is meaningless (use deriv()/delta() or the value itself) (suppressed: demo of a suppression)");
      expect(r.code).toBe(0);
      writeFileSync(join(dir, "lint.config.yaml"), "exclusions:\n  - rule: syntax\n    reason: no\n");
      const refused = run(["bad.yaml"]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("rule syntax cannot be suppressed");
    } finally {
      rmSync(join(dir, "lint.config.yaml"));
    }
  });

  it("--strict fails on warnings", () => {
    const warnOnly = cleanRules.replace("kong_datastore_reachable < 1", "kong_datastore_reachable < 1 and kong_http_requests_total > 0");
    writeFileSync(join(dir, "warn.yaml"), warnOnly);
    const r = run(["warn.yaml"]);
    // A raw counter in someone else's file is a warning (the foreign profile).
    expect(r.stdout).toContain("counter-rated: kong_http_requests_total is a counter");
    expect(r.stdout).toContain("(warning)");
    expect(r.code).toBe(0);
    expect(run(["--strict", "warn.yaml"]).code).toBe(1);
  });
});
