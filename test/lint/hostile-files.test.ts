// Issue 11 items 9–13: `npm run lint` on hostile files and inputs ends quickly with clear
// messages and bounded memory, reports what Prometheus would refuse, and cannot be made to
// print a forged line. The CLI runs as a child with a 256 MB heap: unbounded growth crashes it.

import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, ftruncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { promtool } from "../support/prometheus";

const ROOT = join(import.meta.dirname, "../..");
// The loader by URL: the linted directory (the child's cwd) has no node_modules.
const TSX = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lint-hostile-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function lint(args: string[]) {
  const r = spawnSync(process.execPath, ["--max-old-space-size=256", "--import", TSX, join(ROOT, "scripts/lint.ts"), ...args], {
    cwd: dir,
    encoding: "utf8",
    timeout: 30_000, // a hang is killed (status null) instead of hanging the suite
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stderr.trimEnd().split("\n") };
}

const rules = (expr: string) => `groups:
  - name: g
    rules:
      - record: job:up:sum
        expr: ${JSON.stringify(expr)}
`;

describe("hostile files (item 9)", () => {
  it("a symbolic link loop: reported, not followed; the real files are linted", () => {
    mkdirSync(join(dir, "rules/nested"), { recursive: true });
    writeFileSync(join(dir, "rules/nested/ok.yaml"), rules("sum(up)"));
    symlinkSync("..", join(dir, "rules/nested/loop"));
    const r = lint(["rules"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rules\/nested\/loop: cannot lint: directory loop: a symbolic link leads back to a directory it is inside; not followed$/m);
    expect(r.lines.at(-1)).toBe("1 file(s): 0 error(s), 0 warning(s), 0 suppressed, 1 input error(s)");
  });

  it("a FIFO, a link to /dev/zero and a 2 GB sparse file: refused without reading, with what they are", () => {
    const fifo = spawnSync("mkfifo", [join(dir, "pipe.yaml")]);
    expect(fifo.status).toBe(0);
    symlinkSync("/dev/zero", join(dir, "zero.json"));
    const fd = openSync(join(dir, "huge.yaml"), "w");
    ftruncateSync(fd, 2 * 1024 ** 3);
    closeSync(fd);
    const r = lint(["."]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("pipe.yaml: cannot lint: a FIFO, not a regular file: only regular files are linted");
    expect(r.stderr).toContain("zero.json: cannot lint: a character device, not a regular file: only regular files are linted");
    expect(r.stderr).toContain(`huge.yaml: cannot lint: ${2 * 1024 ** 3} bytes: larger than the 16 MB this linter reads`);
  });
});

describe("what Prometheus refuses, and input errors (items 11, 12)", () => {
  it("invalid UTF-8 in a rule file is reported with its line (promtool refuses it too)", () => {
    // Line 5 holds a label value with two bytes that are not UTF-8.
    const [before, after] = rules("sum(up)").replace("record: job:up:sum", "record: job:up:sum\n        labels: { team: BAD }").split("BAD") as [string, string];
    writeFileSync(join(dir, "bad.yaml"), Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xfe]), Buffer.from(after)]));
    expect(promtool(["check", "rules", join(dir, "bad.yaml")]).status).not.toBe(0);
    const r = lint(["bad.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: cannot lint: not valid UTF-8 \(first bad byte on line 5\)/);
  });

  it.each([
    ["an empty directory", () => mkdirSync(join(dir, "empty")), ["empty"]],
    ["a directory of .txt files", () => (mkdirSync(join(dir, "notes")), writeFileSync(join(dir, "notes/readme.txt"), "hello")), ["notes"]],
  ])("nothing to lint (%s) exits 2 with a message", (_name, make, args) => {
    make();
    const r = lint(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot lint: nothing to lint: no \.json, \.yaml or \.yml files/);
  });

  it("invalid JSON says line and column; an empty file is called empty; a YAML error is printed whole", () => {
    writeFileSync(join(dir, "broken.json"), '{\n  "title": "x",\n  "panels" []\n}\n');
    writeFileSync(join(dir, "empty.json"), "");
    writeFileSync(join(dir, "blank.yaml"), "\n  \n");
    writeFileSync(join(dir, "broken.yaml"), "groups:\n  - name: g\n    rules: [\n");
    const r = lint(["broken.json", "empty.json", "blank.yaml", "broken.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^broken\.json: cannot lint: invalid JSON: colon expected at line 3, column 12$/m);
    expect(r.stderr).toContain("empty.json: cannot lint: empty file");
    expect(r.stderr).toContain("blank.yaml: cannot lint: empty file");
    // The YAML library's message has the position and the offending text on further lines: all of it is shown.
    expect(r.stderr).toMatch(/^broken\.yaml: cannot lint: invalid YAML: .*at line 4, column 1:\n {4}.*rules: \[\n {4}\^$/m);
    expect(r.lines.at(-1)).toBe("0 file(s): 0 error(s), 0 warning(s), 0 suppressed, 4 input error(s)");
  });

  it("the summary counts input errors and comes last", () => {
    writeFileSync(join(dir, "ok.yaml"), rules("sum(up)"));
    writeFileSync(join(dir, "bad.yaml"), rules("sum(up"));
    writeFileSync(join(dir, "empty.yaml"), "");
    const r = lint(["ok.yaml", "bad.yaml", "empty.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/bad\.yaml: g › job:up:sum: syntax: unexpected end of input at column 7/);
    expect(r.lines.at(-1)).toBe("2 file(s): 1 error(s), 0 warning(s), 0 suppressed, 1 input error(s)");
  });
});

describe("text output cannot be forged (item 13)", () => {
  it("a title with a newline and ::error, and ANSI escapes, stay on one escaped line", () => {
    const dashboard = JSON.parse(readFileSync(join(ROOT, "test/lint/fixtures/panels.json"), "utf8")) as { title: string; panels: { title: string }[] };
    dashboard.title = "Innocent\n::error file=README.md,line=1::pwned";
    dashboard.panels[0]!.title = "\u001b[2J\u001b[31mred\rover";
    writeFileSync(join(dir, "dash.json"), JSON.stringify(dashboard));
    const r = lint(["dash.json", "--profile", "strict"]);
    expect(r.stdout.length).toBeGreaterThan(0);
    for (const line of r.stdout.trimEnd().split("\n")) expect(line).toMatch(/^dash\.json: /);
    expect(r.stdout).not.toMatch(/^::error/m);
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout).toContain("Innocent\\n::error file=README.md,line=1::pwned");
  });
});

describe("long valid queries are never syntax errors (item 10)", () => {
  const chain = (n: number) => Array.from({ length: n }, (_, i) => `kafka_consumergroup_lag{consumergroup="group-${String(i).padStart(4, "0")}"} > 1000`).join(" or ");

  it("an or-chain of 184 terms that promtool accepts gets no syntax finding: a too-long notice instead", () => {
    const expr = chain(184);
    expect(expr.length).toBeGreaterThan(11_000);
    writeFileSync(join(dir, "long.yaml"), rules(expr));
    const check = promtool(["check", "rules", join(dir, "long.yaml")]);
    expect(check.output).toMatch(/SUCCESS/);
    const r = lint(["long.yaml"]);
    expect(r.stdout).not.toMatch(/: syntax: /);
    expect(r.stdout).toMatch(/too-complex: \d+ characters: longer than the 2000 the PromQL parser judges exactly.*not analysed; check it with promtool/);
    expect(r.code).toBe(0); // a warning
  });

  it("`up + up + ...` of 1 MB: no false errors, ends quickly within the heap limit", () => {
    const expr = Array(200_000).fill("up").join(" + ");
    writeFileSync(join(dir, "huge.yaml"), rules(expr));
    const r = lint(["huge.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/: (syntax|internal): /);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stdout).toMatch(/too-complex: 999997 characters/);
  });

  it("a real error early in a long query is still reported, and only the sure ones", () => {
    const expr = `sum(up)) or ${chain(200)}`;
    writeFileSync(join(dir, "bad-long.yaml"), rules(expr));
    expect(promtool(["check", "rules", join(dir, "bad-long.yaml")]).status).not.toBe(0);
    const r = lint(["bad-long.yaml"]);
    expect(r.code).toBe(1);
    const syntax = r.stdout.split("\n").filter((l) => l.includes(": syntax: "));
    expect(syntax.length).toBeGreaterThan(0);
    for (const line of syntax) expect(Number(/column (\d+)/.exec(line)?.[1])).toBeLessThan(2000);
  });
});
