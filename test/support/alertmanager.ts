// Debian's Alertmanager (package prometheus-alertmanager) for tests: amtool to check a
// configuration, and a real server on 127.0.0.1, a free port and a temporary storage directory.
// Missing binaries fail the test with the install hint; they are never a reason to skip.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTool, startLoopbackServer, type LoopbackServer, type ToolRun } from "./prometheus";

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

/** Starts Alertmanager with `config` on 127.0.0.1, clustering off, and waits until it is ready. */
export function startAlertmanager(config: string): Promise<LoopbackServer> {
  const dir = mkdtempSync(join(tmpdir(), "alertmanager-"));
  writeFileSync(join(dir, "alertmanager.yml"), config);
  return startLoopbackServer(alertmanagerTool("prometheus-alertmanager"), dir, (port) => [
    `--config.file=${join(dir, "alertmanager.yml")}`,
    `--storage.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    // An empty address turns the HA cluster (gossip on 0.0.0.0:9094) off.
    "--cluster.listen-address=",
    "--log.level=warn",
  ]);
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
