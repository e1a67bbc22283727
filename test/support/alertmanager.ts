// Debian's Alertmanager (package prometheus-alertmanager) for tests: amtool to check a
// configuration, and a real server on 127.0.0.1, a free port and a temporary storage directory.
// Missing binaries fail the test with the install hint; they are never a reason to skip.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, requireTool, type ToolRun } from "./prometheus";

export const ALERTMANAGER_INSTALL_HINT = "apt-get install -y prometheus-alertmanager";

function alertmanagerTool(name: "amtool" | "prometheus-alertmanager"): string {
  try {
    return requireTool(name);
  } catch {
    throw new Error(`${name} not found on PATH: install it with \`${ALERTMANAGER_INSTALL_HINT}\` (as root, after apt-get update)`);
  }
}

/** `amtool check-config <file>` on a configuration text. */
export function amtoolCheckConfig(config: string): ToolRun {
  const dir = mkdtempSync(join(tmpdir(), "amtool-"));
  try {
    const file = join(dir, "alertmanager.yml");
    writeFileSync(file, config);
    const run = spawnSync(alertmanagerTool("amtool"), ["check-config", file], { encoding: "utf8", timeout: 30_000 });
    if (run.error) throw run.error;
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RunningAlertmanager {
  readonly url: string;
  /** Stops the server and removes its directory; safe to call twice. */
  readonly stop: () => Promise<void>;
}

/** Starts Alertmanager with `config`, clustering off, and waits until it is ready. */
export async function startAlertmanager(config: string, readyTimeoutMs = 30_000): Promise<RunningAlertmanager> {
  const binary = alertmanagerTool("prometheus-alertmanager");
  const dir = mkdtempSync(join(tmpdir(), "alertmanager-"));
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
    writeFileSync(join(dir, "alertmanager.yml"), config);
    const port = await freePort();
    child = spawn(
      binary,
      [
        `--config.file=${join(dir, "alertmanager.yml")}`,
        `--storage.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // An empty address turns the HA cluster (gossip on 0.0.0.0:9094) off.
        "--cluster.listen-address=",
        "--log.level=warn",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    process.on("exit", onExit);
    child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`alertmanager exited with ${child.exitCode}:\n${log}`);
      try {
        if ((await fetch(`${url}/-/ready`)).ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`alertmanager not ready after ${readyTimeoutMs} ms:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** An alert as Alertmanager's v2 API returns it. */
export interface ApiAlert {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: { readonly state: string; readonly inhibitedBy: readonly string[] };
}

function isApiAlert(value: unknown): value is ApiAlert {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const status = v.status as Record<string, unknown> | undefined;
  return typeof v.fingerprint === "string" && typeof v.labels === "object" && Array.isArray(status?.inhibitedBy);
}

export async function postAlerts(url: string, alerts: readonly { labels: Readonly<Record<string, string>>; startsAt: string; endsAt: string }[]): Promise<void> {
  const response = await fetch(`${url}/api/v2/alerts`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(alerts) });
  if (!response.ok) throw new Error(`POST /api/v2/alerts: ${response.status} ${await response.text()}`);
}

export async function getAlerts(url: string): Promise<ApiAlert[]> {
  const response = await fetch(`${url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`);
  const body: unknown = await response.json();
  if (!Array.isArray(body) || !body.every(isApiAlert)) throw new Error(`GET /api/v2/alerts: unexpected answer ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}
