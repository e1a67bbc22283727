// npm run verify -- --prometheus URL: do the built dashboards and rules show data on this
// Prometheus, and if not, why? See README "Verifying against a live Prometheus".

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildConfig, verify as verifyConfig } from "../build.config";
import { CLUSTER_VARIABLE } from "../src/kit/promql";
// The catalogue alone: scripts/platform.ts would also load every dashboard and alert definition.
import { allMetrics as platformCatalogue } from "../catalogue/metrics";
import { parseDuration } from "../src/model/duration";
import { ConfigError, loadConfig } from "../src/lint/config";
import { ConnectionError, PrometheusClient, UsageError, type PrometheusAuth, type TlsFiles } from "../src/verify/client";
import { InputError, readOut } from "../src/verify/inputs";
import { formatJson, formatText } from "../src/verify/report";
import type { AllowEmpty } from "../src/verify/types";
import { exitCodeOf, verify } from "../src/verify/verify";
import { Redactor } from "../src/grafana/redact";

const USAGE = `usage: npm run verify -- --prometheus URL [options]
  --prometheus URL         Prometheus, Thanos Query or Mimir (with its base path, e.g. https://mimir/prometheus); or PROMETHEUS_URL
  --range 1h               range of the range queries and of "present" (default 1h)
  --time T                 evaluate at T (RFC 3339 or unix seconds) instead of now; alert states stay the current ones
  --var NAME=VALUE         a dashboard variable's value instead of its All value (repeat for several values)
  --header "NAME: VALUE"   extra request header, e.g. "X-Scope-OrgID: tenant" (repeatable)
  --allow-empty UID/PANEL  a panel (or GROUP/RULE) that may be empty (repeatable; also verify.allowEmpty in build.config.ts)
  --format text|json       output (default text)
  --out DIR                built output to verify (default out)
  --scrape-interval 30s    for $__rate_interval (default: scrapeInterval of lint.config.yaml)
  --concurrency N          panel targets and rules checked at once (default 8)
  --timeout SECONDS        per request (default 30)
  --ca-file, --cert-file, --key-file PEM   TLS: extra CA, client certificate and key (mTLS)
  --cluster-label NAME     cluster mode: judge every panel per value of this label (default: build.config.ts clusterLabel)
  --skip-loaded-rules      do not compare with /api/v1/rules (rules evaluated elsewhere, e.g. Grafana-managed)
  --allow-insecure-http    allow credentials over plain http to a non-loopback host
  credentials: PROMETHEUS_TOKEN (bearer) or PROMETHEUS_USER + PROMETHEUS_PASSWORD (basic)
  exit 0 all data, 1 something empty or failed, 2 bad usage or cannot reach/authenticate`;

const EXIT_USAGE = 2;
const MAX_TIMER_S = Math.floor((2 ** 31 - 1) / 1000);

class Usage extends Error {}

function parse() {
  try {
    return parseArgs({
      strict: true,
      allowPositionals: false,
      options: {
        prometheus: { type: "string" },
        range: { type: "string", default: "1h" },
        time: { type: "string" },
        var: { type: "string", multiple: true, default: [] },
        header: { type: "string", multiple: true, default: [] },
        "allow-empty": { type: "string", multiple: true, default: [] },
        format: { type: "string", default: "text" },
        out: { type: "string", default: "out" },
        "scrape-interval": { type: "string" },
        concurrency: { type: "string", default: "8" },
        timeout: { type: "string", default: "30" },
        "ca-file": { type: "string" },
        "cert-file": { type: "string" },
        "key-file": { type: "string" },
        "cluster-label": { type: "string" },
        "skip-loaded-rules": { type: "boolean", default: false },
        "allow-insecure-http": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    throw new Usage((e as Error).message);
  }
}

function seconds(text: string, flag: string): number {
  const ms = parseDuration(text);
  if (!ms || ms % 1000 !== 0) throw new Usage(`${flag} must be a duration in whole seconds such as 1h or 30s, got ${text}`);
  return ms / 1000;
}

function evaluationTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
  if (Number.isNaN(ms) || !/^\d|^\d{4}-/.test(text)) throw new Usage(`--time must be RFC 3339 (2026-11-30T10:00:00Z) or unix seconds, got ${text}`);
  return Math.floor(ms / 1000);
}

function positive(text: string, flag: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Usage(`${flag} must be a whole number from 1 to ${max}, got ${text}`);
  return n;
}

function readPem(path: string | undefined, flag: string): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new Usage(`${flag} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function auth(env: NodeJS.ProcessEnv): PrometheusAuth {
  if (env.PROMETHEUS_TOKEN) return { kind: "token", token: env.PROMETHEUS_TOKEN };
  if (env.PROMETHEUS_USER || env.PROMETHEUS_PASSWORD) {
    if (!env.PROMETHEUS_USER || !env.PROMETHEUS_PASSWORD) throw new Usage("basic auth needs both PROMETHEUS_USER and PROMETHEUS_PASSWORD");
    return { kind: "basic", user: env.PROMETHEUS_USER, password: env.PROMETHEUS_PASSWORD };
  }
  return { kind: "none" };
}

async function main(): Promise<number> {
  const redactor = new Redactor();
  redactor.add(process.env.PROMETHEUS_TOKEN, process.env.PROMETHEUS_PASSWORD);
  const fail = (message: string, code = EXIT_USAGE): number => {
    process.stderr.write(`verify: ${redactor.redact(message)}\n`);
    return code;
  };
  let client: PrometheusClient | undefined;
  try {
    const { values } = parse();
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (values.format !== "text" && values.format !== "json") throw new Usage(`--format must be text or json, got ${values.format}`);
    const url = values.prometheus ?? process.env.PROMETHEUS_URL;
    if (!url) throw new Usage("no Prometheus: pass --prometheus URL or set PROMETHEUS_URL");
    const headers: Record<string, string> = {};
    for (const h of values.header) {
      const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/.exec(h);
      if (!m) throw new Usage(`--header must be "Name: value", got ${h.split(":")[0]}`);
      headers[m[1]!] = m[2]!;
    }
    const vars = new Map<string, string[]>();
    for (const v of values.var) {
      const m = /^(\w+)=(.*)$/s.exec(v);
      if (!m) throw new Usage(`--var must be NAME=VALUE, got ${v}`);
      vars.set(m[1]!, [...(vars.get(m[1]!) ?? []), m[2]!]);
    }
    const scrapeInterval = values["scrape-interval"] ?? `${loadConfig(resolve("lint.config.yaml"), false).scrapeIntervalMs / 1000}s`;
    const tls: TlsFiles = { ca: readPem(values["ca-file"], "--ca-file"), cert: readPem(values["cert-file"], "--cert-file"), key: readPem(values["key-file"], "--key-file") };
    if (Boolean(tls.cert) !== Boolean(tls.key)) throw new Usage("--cert-file and --key-file go together");
    const concurrency = positive(values.concurrency, "--concurrency", 64);
    const allowEmpty: AllowEmpty[] = [...verifyConfig.allowEmpty, ...values["allow-empty"].map((target) => ({ target }))];
    for (const a of values["allow-empty"]) if (!/^[^/]+\/.+$/.test(a)) throw new Usage(`--allow-empty must be UID/PANEL or GROUP/RULE, got ${a}`);

    const clusterLabel = values["cluster-label"] ?? buildConfig.clusterLabel;
    if (clusterLabel !== undefined && !/^[a-zA-Z_]\w*$/.test(clusterLabel)) throw new Usage(`--cluster-label must be a label name, got ${clusterLabel}`);
    const { dashboards, groups } = readOut(resolve(values.out));
    client = new PrometheusClient({
      url,
      auth: auth(process.env),
      headers,
      tls,
      timeoutMs: positive(values.timeout, "--timeout", MAX_TIMER_S) * 1000,
      connections: concurrency,
      allowInsecureHttp: values["allow-insecure-http"],
      redactor,
    });
    const progress = values.format === "text" && process.stderr.isTTY;
    const report = await verify({
      client,
      dashboards,
      groups,
      catalogue: platformCatalogue,
      rangeS: seconds(values.range, "--range"),
      now: evaluationTime(values.time),
      scrapeIntervalS: seconds(scrapeInterval, "--scrape-interval"),
      vars,
      allowEmpty,
      checkLoadedRules: !values["skip-loaded-rules"],
      ...(clusterLabel ? { cluster: { label: clusterLabel, variable: CLUSTER_VARIABLE } } : {}),
      concurrency,
      onProgress: progress ? (done, total) => process.stderr.write(`\rverifying ${done}/${total}${done === total ? "\r\x1b[K" : ""}`) : undefined,
    });
    const server = client.url.href.replace(/\/+$/, "");
    const text = values.format === "json" ? formatJson(report, server) : formatText(report, new Map(dashboards.map((d) => [d.uid, d.title])), server);
    process.stdout.write(redactor.redact(text));
    return exitCodeOf(report);
  } catch (e) {
    if (e instanceof Usage || e instanceof UsageError) return fail(`${e.message}\n${USAGE}`);
    if (e instanceof InputError || e instanceof ConfigError) return fail(e.message);
    if (e instanceof ConnectionError) return fail(e.message);
    throw redactor.redactError(e);
  } finally {
    await client?.close();
  }
}

process.exitCode = await main();
