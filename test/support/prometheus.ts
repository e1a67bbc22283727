// Finding and running Debian's `prometheus` and `promtool` from tests. Missing tools fail the
// test with the install hint; they are never a reason to skip.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { existsSync } from "node:fs";

export const INSTALL_HINT = "apt-get install -y prometheus";

/** Absolute path of `name` on PATH; throws with the install hint when it is missing. */
export function requireTool(name: "prometheus" | "promtool" | string): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} not found on PATH: install it with \`${INSTALL_HINT}\` (as root, after apt-get update)`);
}

export interface ToolRun {
  readonly status: number | null;
  /** stdout then stderr: promtool prints warnings (e.g. duplicate rules) on stderr. */
  readonly output: string;
}

/** Runs promtool and reports its exit status and all it printed; `cwd` for relative rule_files. */
export function promtool(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): ToolRun {
  const result = spawnSync(requireTool("promtool"), args, { cwd: options.cwd, encoding: "utf8", timeout: options.timeoutMs ?? 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Runs promtool with arguments; throws with its output when it fails. */
export function runPromtool(args: readonly string[], timeoutMs = 60_000): string {
  const run = promtool(args, { timeoutMs });
  if (run.status !== 0) throw new Error(`promtool ${args.join(" ")} failed (${run.status}):\n${run.output}`);
  return run.output;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningPrometheus {
  readonly url: string;
  readonly dataDir: string;
  /** Stops the server and removes its directory; safe to call twice. */
  readonly stop: () => Promise<void>;
}

export interface StartOptions {
  /** Fills the fresh data directory before the server starts (e.g. promtool backfill). */
  readonly prepare?: (dataDir: string) => void | Promise<void>;
  readonly readyTimeoutMs?: number;
  /** prometheus.yml (relative paths such as rule_files resolve next to it, beside the data dir). */
  readonly config?: string;
}

/** A server of ours on 127.0.0.1: its address, and how to stop it (and remove its directory). */
export interface LoopbackServer {
  readonly url: string;
  /** Stops the server and removes its directory; safe to call twice. */
  readonly stop: () => Promise<void>;
}

/**
 * Starts `binary` with the arguments for a free loopback port, waits for `/-/ready`, and stops it
 * (SIGTERM, then SIGKILL after 5 s) and removes `dir` on stop, on failure, or when the test process exits.
 */
export async function startLoopbackServer(
  binary: string,
  dir: string,
  args: (port: number) => readonly string[],
  options: { readonly prepare?: () => void | Promise<void>; readonly readyTimeoutMs?: number } = {},
): Promise<LoopbackServer> {
  const name = binary.split("/").pop();
  let child: ChildProcess | undefined;
  let log = "";
  const onExit = () => child?.kill("SIGKILL");
  const stop = async () => {
    process.off("exit", onExit);
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child!.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child?.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await options.prepare?.();
    const port = await freePort();
    child = spawn(binary, [...args(port)], { stdio: ["ignore", "pipe", "pipe"] });
    process.on("exit", onExit);
    child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    const timeout = options.readyTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeout;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log}`);
      try {
        if ((await fetch(`${url}/-/ready`)).ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`${name} not ready after ${timeout} ms:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Starts Prometheus on 127.0.0.1, a free port and a temporary directory. */
export async function startPrometheus(options: StartOptions = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), "lint-prometheus-"));
  const dataDir = join(dir, "data");
  const config = join(dir, "prometheus.yml");
  const server = await startLoopbackServer(
    requireTool("prometheus"),
    dir,
    (port) => [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--storage.tsdb.retention.time=30d",
      "--log.level=warn",
    ],
    {
      readyTimeoutMs: options.readyTimeoutMs,
      prepare: async () => {
        await options.prepare?.(dataDir);
        writeFileSync(config, options.config ?? "global:\n  scrape_interval: 30s\n  evaluation_interval: 30s\n");
      },
    },
  );
  return { ...server, dataDir };
}

export interface PromSeries {
  readonly metric: Readonly<Record<string, string>>;
}

export interface QueryOutcome {
  readonly ok: boolean;
  readonly error?: string;
  readonly resultType?: string;
  readonly series: readonly PromSeries[];
}

/** An instant query through the HTTP API. */
export async function instantQuery(url: string, query: string, time: number): Promise<QueryOutcome> {
  const body = new URLSearchParams({ query, time: String(time) });
  const response = await fetch(`${url}/api/v1/query`, { method: "POST", body });
  const json = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
  if (json.status !== "success") return { ok: false, error: json.error ?? `HTTP ${response.status}`, series: [] };
  const data = json.data!;
  const series = data.resultType === "vector" || data.resultType === "matrix" ? (data.result as PromSeries[]) : [{ metric: {} }];
  return { ok: true, resultType: data.resultType, series };
}

/** Whether `prometheus` answers `--version` (used by tests of this helper). */
export function prometheusVersion(): string {
  const r = spawnSync(requireTool("prometheus"), ["--version"], { encoding: "utf8" });
  return `${r.stdout}${r.stderr}`.split("\n")[0] ?? "";
}

/** What /api/v1/query and /api/v1/query_range answer under `data`. */
export interface PromData {
  readonly resultType: "matrix" | "vector" | "scalar" | "string";
  readonly result: unknown;
}

export type QueryWindow = { readonly time: number } | { readonly start: number; readonly end: number; readonly step: number };

/** An instant (`time`) or range (`start`, `end`, `step`) query; the raw `data` of the answer. */
export async function queryData(url: string, query: string, window: QueryWindow): Promise<{ ok: true; data: PromData } | { ok: false; error: string }> {
  const range = "step" in window;
  const params: Record<string, string> = range ? { query, start: String(window.start), end: String(window.end), step: String(window.step) } : { query, time: String(window.time) };
  const response = await fetch(`${url}/api/v1/${range ? "query_range" : "query"}`, { method: "POST", body: new URLSearchParams(params) });
  const json = (await response.json()) as { status: string; error?: string; data?: PromData };
  return json.status === "success" && json.data ? { ok: true, data: json.data } : { ok: false, error: json.error ?? `HTTP ${response.status}` };
}
