// npm run push: pushes what out/ holds to Grafana. See docs/push.md.
//   exit 0: everything pushed (or planned, with --dry-run)
//   exit 1: something failed (after everything else was tried), out/ stale or missing
//   exit 2: bad usage (unknown flag, missing or invalid environment variable)

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { GrafanaClient } from "../src/grafana/client";
import { UsageError } from "../src/grafana/errors";
import { MAX_TIMER_MS, type Auth, type HttpOptions } from "../src/grafana/http";
import { loadOutputs } from "../src/grafana/manifest";
import { MANIFEST_FILE } from "../src/model/manifest";
import { countActions, DEFAULT_DEADLINE_MS, push, type ApiChoice, type ItemResult, type Kind, type PushResult } from "../src/grafana/push";
import { Redactor } from "../src/grafana/redact";
import { recoverOutDir } from "../src/pipeline/write";
import { escapeControl } from "../src/model/text";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Progress is redrawn in place on a terminal; CI gets plain lines. */
  readonly isTTY: boolean;
  readonly cwd: string;
}

export interface CliDeps {
  /** Paths in out/ that differ from a fresh build (empty = fresh). */
  readonly findStaleOutputs?: (outDir: string) => Promise<string[]>;
  readonly gitCommit?: () => string | undefined;
  /** Test hook: retry timings etc. */
  readonly http?: Partial<HttpOptions>;
}

const USAGE = `Usage: npm run push -- [options]

Pushes out/ (run \`npm run build\` first) to Grafana.

Environment:
  GRAFANA_URL        Grafana base URL (https://...; http only for localhost or with --allow-insecure-http)
  GRAFANA_TOKEN      service account token (preferred)
  GRAFANA_USER, GRAFANA_PASSWORD   basic auth, when no token is set
  GRAFANA_ORG_ID     organisation id (optional)

Options:
  --dry-run              print the plan with a short diff; write nothing
  --prune                delete managed dashboards that are no longer defined (only when
                         everything else was pushed)
  --alerts               also push Grafana-managed alert rule groups
  -m, --message <text>   version history message (default: the git commit)
  --out <dir>            output folder (default: out)
  --concurrency <n>      parallel requests (default: 8)
  --timeout <seconds>    per-request timeout (default: 30)
  --retry-time <seconds> total time for one request including retries (default: 120)
  --deadline <seconds>   total time for the whole push (default: 300)
  --api <legacy|resources|auto>
                         folders and dashboards through the legacy /api, Grafana 12+'s
                         resource API (/apis), or whichever the server serves (default: auto)
  --adopt-folders        use an existing folder with the same title but another uid
                         instead of failing (push never creates such a duplicate)
  --allow-insecure-http  allow plain http to a host other than localhost
  -h, --help             show this help

Exit codes: 0 success, 1 something failed, 2 bad usage.`;

function positiveNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got "${escapeControl(value)}"`);
  return n;
}

/** A time in seconds, as ms within Node's timer limit (a larger value would fire at once). */
function seconds(value: string | undefined, flag: string, fallbackMs: number): number {
  const ms = positiveNumber(value, flag, fallbackMs / 1000) * 1000;
  if (ms > MAX_TIMER_MS) throw new UsageError(`${flag} must be at most ${Math.floor(MAX_TIMER_MS / 1000)} seconds (Node's timer limit), got ${value}`);
  return Math.max(1, Math.round(ms));
}

/** Only what git needs: children never see GRAFANA_TOKEN or any other credential. */
export function childEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const keep = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "SYSTEMROOT", "TMPDIR"];
  return Object.fromEntries(keep.flatMap((k) => (env[k] === undefined ? [] : [[k, env[k]!]])));
}

function defaultGitCommit(): string | undefined {
  try {
    return (
      execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], env: childEnvironment(process.env) }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

async function defaultFindStale(outDir: string): Promise<string[]> {
  // Loaded lazily: it runs a full in-memory build, which library users and tests do not need.
  const [{ findStaleOutputs }, { platformInput }] = await Promise.all([import("../src/pipeline/stale"), import("./platform")]);
  return findStaleOutputs(outDir, platformInput);
}

const API_CHOICES: readonly ApiChoice[] = ["legacy", "resources", "auto"];

const LABEL: Record<Kind, string> = { folder: "folder", dashboard: "dashboard", "alert-rule-group": "alert group" };

function formatItem(item: ItemResult, verbose: boolean): string[] {
  // Titles and server messages come from outside: escaped, they cannot forge lines (or CI annotations).
  const lines = [`${item.action.padEnd(9)} ${LABEL[item.kind]} ${escapeControl(item.uid)}${item.title && item.title !== item.uid ? ` (${escapeControl(item.title)})` : ""}`];
  if (item.error) lines.push(`          ${escapeControl(item.error)}`);
  if (item.note) lines.push(`          note: ${escapeControl(item.note)}`);
  if (verbose) {
    for (const change of item.changes ?? []) lines.push(`          ${change.op === "added" ? "+" : change.op === "removed" ? "-" : "~"} ${change.path}`);
    if (item.moreChanges) lines.push(`          … and ${item.moreChanges} more change(s)`);
  }
  return lines;
}

function summary(result: PushResult, kinds: readonly Kind[]): string {
  const parts = kinds.map((kind) => {
    const c = countActions(result.items, kind);
    const shown = (["create", "update", "unchanged", "delete", "failed", "skipped"] as const).filter((a) => c[a] > 0 || ["create", "update", "unchanged", "failed"].includes(a));
    return `${LABEL[kind]}s: ${shown.map((a) => `${c[a]} ${a === "create" ? "created" : a === "update" ? "updated" : a === "delete" ? "deleted" : a}`).join(", ")}`;
  });
  return `${result.dryRun ? "Dry run (nothing written). " : ""}${parts.join("; ")}; ${(result.durationMs / 1000).toFixed(2)} s`;
}

export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo, deps: CliDeps = {}): Promise<number> {
  // Everything printed goes through the redactor, whatever produced it.
  const redactor = new Redactor().add(env.GRAFANA_TOKEN, env.GRAFANA_PASSWORD);
  if (env.GRAFANA_USER && env.GRAFANA_PASSWORD) redactor.addBasicAuth(env.GRAFANA_USER, env.GRAFANA_PASSWORD);
  const out = (line: string) => io.stdout(redactor.redact(line) + "\n");
  const err = (line: string) => io.stderr(redactor.redact(line) + "\n");

  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        "dry-run": { type: "boolean" },
        prune: { type: "boolean" },
        alerts: { type: "boolean" },
        message: { type: "string", short: "m" },
        out: { type: "string" },
        concurrency: { type: "string" },
        timeout: { type: "string" },
        "retry-time": { type: "string" },
        deadline: { type: "string" },
        "adopt-folders": { type: "boolean" },
        api: { type: "string" },
        "allow-insecure-http": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    err(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }

  let httpOptions: HttpOptions;
  let concurrency: number;
  let deadlineMs: number;
  try {
    if (!env.GRAFANA_URL) throw new UsageError("GRAFANA_URL is not set");
    for (const name of ["GRAFANA_TOKEN", "GRAFANA_USER", "GRAFANA_PASSWORD"]) {
      // A pasted token with a trailing newline can never be sent as a header: say so, without echoing it.
      if (/[\u0000-\u001f\u007f]/.test(env[name] ?? "")) throw new UsageError(`${name} contains a line break or control character; remove it`);
    }
    let auth: Auth;
    if (env.GRAFANA_TOKEN) auth = { kind: "token", token: env.GRAFANA_TOKEN };
    else if (env.GRAFANA_USER && env.GRAFANA_PASSWORD) auth = { kind: "basic", user: env.GRAFANA_USER, password: env.GRAFANA_PASSWORD };
    else throw new UsageError("GRAFANA_TOKEN is not set (or set GRAFANA_USER and GRAFANA_PASSWORD for basic auth)");
    if (values.api !== undefined && !API_CHOICES.includes(values.api as ApiChoice)) throw new UsageError(`--api must be one of ${API_CHOICES.join(", ")}, got "${escapeControl(values.api)}"`);
    let orgId: number | undefined;
    if (env.GRAFANA_ORG_ID) {
      orgId = Number(env.GRAFANA_ORG_ID);
      if (!Number.isInteger(orgId) || orgId <= 0) throw new UsageError(`GRAFANA_ORG_ID must be a positive integer`);
    }
    concurrency = positiveNumber(values.concurrency, "--concurrency", 8);
    if (!Number.isInteger(concurrency)) throw new UsageError("--concurrency must be an integer");
    deadlineMs = seconds(values.deadline, "--deadline", DEFAULT_DEADLINE_MS);
    const retryTimeMs = seconds(values["retry-time"], "--retry-time", Math.min(120_000, deadlineMs));
    if (retryTimeMs > deadlineMs) throw new UsageError(`--retry-time (${retryTimeMs / 1000} s) must not exceed --deadline (${deadlineMs / 1000} s)`);
    httpOptions = {
      baseUrl: env.GRAFANA_URL,
      auth,
      orgId,
      allowInsecureHttp: values["allow-insecure-http"] ?? false,
      requestTimeoutMs: seconds(values.timeout, "--timeout", 30_000),
      redactor,
      ...deps.http,
      retry: { totalTimeMs: retryTimeMs, ...deps.http?.retry },
      onRetry: (e) => {
        if (!io.isTTY) out(`retry     ${e.method} ${e.path} (attempt ${e.attempt} failed: ${e.reason})`);
      },
    };
    // Validates the URL (scheme, credentials, insecure http) before anything touches out/.
    new GrafanaClient(httpOptions);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`error: ${error.message}\n\nRun with --help for usage.`);
      return 2;
    }
    throw error;
  }

  const outDir = path.resolve(io.cwd, values.out ?? "out");
  try {
    // A build killed halfway may have left out/ moved aside: put it back before reading it.
    for (const line of await recoverOutDir(outDir)) out(line);
    if (!existsSync(path.join(outDir, MANIFEST_FILE))) {
      err(`error: ${path.join(outDir, MANIFEST_FILE)} does not exist; run \`npm run build\` first.`);
      return 1;
    }
    const stale = await (deps.findStaleOutputs ?? defaultFindStale)(outDir);
    if (stale.length > 0) {
      const shown = stale.slice(0, 10).map((p) => `  ${p}`);
      err(`error: ${outDir} is stale (differs from the definitions); run \`npm run build\` first. Stale:\n${shown.join("\n")}${stale.length > 10 ? `\n  … and ${stale.length - 10} more` : ""}`);
      return 1;
    }
    const outputs = await loadOutputs(outDir);
    const client = new GrafanaClient(httpOptions);
    const commit = (deps.gitCommit ?? defaultGitCommit)();
    const message = values.message ?? (commit ? `254carbon-observability ${commit}` : "254carbon-observability push");
    const dryRun = values["dry-run"] ?? false;

    out(`${dryRun ? "Planning" : "Pushing"} ${outputs.dashboards.length} dashboard(s) in ${outputs.manifest.folders.length} folder(s)${values.alerts ? ` and ${outputs.alertRuleGroups.length} alert group(s)` : ""} to ${client.http.baseUrl.origin}`);
    let progressShown = false;
    const result = await push(client, outputs, {
      dryRun,
      prune: values.prune ?? false,
      alerts: values.alerts ?? false,
      adoptFolders: values["adopt-folders"] ?? false,
      api: (values.api as ApiChoice | undefined) ?? "auto",
      deadlineMs,
      message,
      concurrency,
      onItem: (item, done, total) => {
        const interesting = item.action !== "unchanged" || dryRun;
        if (io.isTTY) {
          if (interesting) {
            io.stdout("\r\x1b[2K");
            for (const line of formatItem(item, dryRun)) out(line);
          }
          io.stdout(`\r\x1b[2K[${done}/${total}] ${redactor.redact(escapeControl(item.uid))}`);
          progressShown = true;
        } else if (interesting || item.error) {
          for (const line of formatItem(item, dryRun)) out(line);
        }
      },
    });
    if (progressShown) io.stdout("\r\x1b[2K");
    if (result.api) out(`API: ${escapeControl(result.api)}`);
    for (const warning of result.warnings) err(`warning: ${escapeControl(warning)}`);
    if (result.fatal) err(`error: ${escapeControl(result.fatal)}`);
    const failed = result.items.filter((i) => i.action === "failed");
    if (failed.length) {
      err(`${failed.length} object(s) failed:`);
      for (const item of failed) for (const line of formatItem(item, false)) err(line);
    }
    const kinds: Kind[] = ["folder", "dashboard", ...(values.alerts ? (["alert-rule-group"] as const) : [])];
    out(summary(result, kinds));
    return result.ok ? 0 : 1;
  } catch (error) {
    err(`error: ${escapeControl(error instanceof Error ? error.message : String(error))}`);
    return 1;
  }
}

/** The process's own run (started by push-entry.mjs, which holds the credentials in `env`). */
export function runCli(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  return main(process.argv.slice(2), env, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  });
}
