// npm run lint [--format text|json] [--config lint.config.yaml] [--profile own|foreign|strict] [--metadata FILE] [--strict] [paths...]
// Without paths: everything the build generated under out/. See docs/lint.md.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import {
  ConfigError,
  defaultOptions,
  defaultTargets,
  exitCode,
  formatFinding,
  formatJson,
  lintFiles,
  loadConfig,
  NoOutputError,
  parseTypeMetadata,
  isProfile,
  PROFILES,
  summarize,
  type MetadataType,
} from "../src/lint/index";
import { formatInputError, formatSummary, EXIT_USAGE } from "../src/lint/report";
import { parseDuration } from "../src/lint/duration";
import { recoverOutDir } from "../src/pipeline/write";
// The catalogue and the deployment settings, not scripts/platform.ts: linting needs no definitions.
import { buildConfig } from "../build.config";
import { allMetrics } from "../catalogue/metrics";

const USAGE = `usage: npm run lint -- [--format text|json] [--config FILE] [--scrape-interval 30s] [--profile own|foreign|strict] [--metadata FILE]... [--cluster-label NAME [--cluster-foreign]] [--strict] [FILE|DIR ...]
  no paths: lint out/dashboards/*.json, out/prometheus/*.yaml and PrometheusRule YAML under out/k8s/
  profile: own for files the config's own globs match, foreign for others (house style off); --profile sets one for all
  --metadata: a /metrics exposition whose # TYPE lines say which metrics are counters
  --cluster-label: cluster mode (default: build.config.ts clusterLabel): no query may drop this label; own files only unless --cluster-foreign
  exit 0 clean (warnings allowed), 1 errors (or warnings with --strict), 2 bad usage or unreadable input`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(EXIT_USAGE);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: "string", default: "text" },
        config: { type: "string" },
        "scrape-interval": { type: "string" },
        strict: { type: "boolean", default: false },
        profile: { type: "string" },
        metadata: { type: "string", multiple: true, default: [] },
        "cluster-label": { type: "string" },
        "cluster-foreign": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.format !== "text" && values.format !== "json") fail(`--format must be text or json, got ${values.format}`);

  const profile = values.profile;
  if (profile !== undefined && !isProfile(profile)) fail(`--profile must be one of ${PROFILES.join(", ")}, got ${profile}`);
  const metadata = new Map<string, MetadataType>();
  for (const file of values.metadata) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      fail(`--metadata ${file}: cannot read: ${(e as Error).message}`);
    }
    for (const [name, type] of parseTypeMetadata(text)) metadata.set(name, type);
  }

  const root = process.cwd();
  let config;
  try {
    config = loadConfig(values.config ?? resolve(root, "lint.config.yaml"), values.config !== undefined);
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  let scrapeIntervalMs = config.scrapeIntervalMs;
  if (values["scrape-interval"] !== undefined) {
    const ms = parseDuration(values["scrape-interval"]);
    if (!ms) fail(`--scrape-interval must be a duration such as 30s, got ${values["scrape-interval"]}`);
    scrapeIntervalMs = ms;
  }

  let paths: string[] = positionals;
  if (paths.length === 0) {
    // A build killed halfway may have left out/ moved aside: put it back before reading it.
    for (const line of await recoverOutDir(resolve(root, "out"))) process.stderr.write(`${line}\n`);
    try {
      paths = defaultTargets(root);
    } catch (e) {
      if (e instanceof NoOutputError) fail(e.message);
      throw e;
    }
  } else {
    const missing = paths.filter((p) => !existsSync(p));
    if (missing.length === paths.length) fail(missing.map((p) => `${p}: no such file or directory`).join("\n"));
  }

  const clusterLabel = values["cluster-label"] ?? buildConfig.clusterLabel;
  if (values["cluster-foreign"] && !clusterLabel) fail("--cluster-foreign needs a cluster label (--cluster-label NAME or build.config.ts clusterLabel)");
  const cluster = clusterLabel ? { clusterLabel, clusterForeign: values["cluster-foreign"] } : {};
  const result = lintFiles({
    paths,
    discovered: positionals.length === 0,
    root,
    config,
    options: defaultOptions(allMetrics, { scrapeIntervalMs, metadata, ...cluster }),
    ...(profile ? { profile } : {}),
  });
  if (values.format === "json") process.stdout.write(`${formatJson(result)}\n`);
  else for (const f of result.findings) process.stdout.write(`${formatFinding(f)}\n`);
  for (const e of result.inputErrors) process.stderr.write(`${formatInputError(e)}\n`);
  if (values.format !== "json") process.stderr.write(`${formatSummary(result)}\n`);
  return exitCode(result, values.strict);
}

process.exitCode = await main();
