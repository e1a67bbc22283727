// The build lints its own output through the linter's registry, with the own profile and the
// repository's exclusions: every house rule applies, and an error fails the build as any other
// problem does. A large build lints in a worker thread, each dashboard as soon as it is compiled,
// so the lint (a third of the build's time) runs beside the compilers on the other core;
// generateOutputs stays synchronous either way.

import { MessageChannel, MessagePort, receiveMessageOnPort, Worker, workerData } from "node:worker_threads";
import type { DashboardJson } from "../model/dashboard";
import { isError, type Finding } from "../model/finding";
import type { AnyMetric } from "../model/metric";
import type { OutputFile } from "../model/output";
import { applyExclusions, defaultOptions, lintDashboard, lintRuleGroups, readRuleGroups, type LintConfig, type LintFinding } from "../lint/index";
import { recordedNames } from "../lint/rules-file";

export interface OutputLintSettings {
  readonly catalogue: readonly AnyMetric[];
  readonly lint: LintConfig;
  readonly clusterLabel?: string;
}

/** Takes the rule files, then each compiled dashboard as it is made; answers the errors. */
export interface OutputLinter {
  start(settings: OutputLintSettings, ruleFiles: readonly OutputFile[]): void;
  /** `text`: the dashboard's JSON text, as written. */
  add(dashboard: DashboardJson, text: string): void;
  finish(): Finding[];
}

/** One lint of one build's output, a dashboard at a time. */
class OutputLint {
  private readonly sources: readonly { readonly path: string; readonly groups: ReturnType<typeof readRuleGroups> }[];
  private readonly options: ReturnType<typeof defaultOptions>;
  private readonly findings: LintFinding[] = [];

  constructor(
    private readonly settings: OutputLintSettings,
    ruleFiles: readonly OutputFile[],
  ) {
    this.sources = ruleFiles.filter((f) => f.path.startsWith("prometheus/")).map((f) => ({ path: `out/${f.path}`, groups: readRuleGroups(f.content, true) }));
    this.options = defaultOptions(settings.catalogue, {
      scrapeIntervalMs: settings.lint.scrapeIntervalMs,
      recordedNames: new Set(this.sources.flatMap((s) => recordedNames(s.groups))),
      ...(settings.clusterLabel ? { clusterLabel: settings.clusterLabel } : {}),
    });
  }

  dashboard(d: DashboardJson): void {
    this.findings.push(...lintDashboard(d, { file: `out/dashboards/${d.uid}.json`, profile: "own" }, this.options));
  }

  errors(): Finding[] {
    const rules = this.sources.flatMap((s) => lintRuleGroups(s.groups, s.path, "own", this.options));
    return applyExclusions([...this.findings, ...rules], this.settings.lint.exclusions).filter(isError);
  }
}

/**
 * From this many dashboards on, a worker pays for itself: it costs ~0.3 s of loading on the other
 * core, and the lint takes ~1 ms per 20-panel dashboard (npm run bench:scale).
 */
export const WORKER_MIN_DASHBOARDS = 300;

/** The linter for a build of `dashboards` dashboards: a worker running `entry` (if any) when that is large enough. */
export function outputLinterFor(dashboards: number, entry: URL | undefined): OutputLinter {
  return entry && dashboards >= WORKER_MIN_DASHBOARDS ? workerOutputLinter(entry) : inlineOutputLinter();
}

function fail(message: string): never {
  throw new Error(message);
}

/** Lints in the caller's thread. */
export function inlineOutputLinter(): OutputLinter {
  let lint: OutputLint | undefined;
  const started = (): OutputLint => lint ?? fail("output linter not started");
  return {
    start: (settings, ruleFiles) => void (lint = new OutputLint(settings, ruleFiles)),
    add: (dashboard) => started().dashboard(dashboard),
    finish: () => started().errors(),
  };
}

const ROLE = "254carbon-output-lint";
/** Slots of the shared flags: the worker serves; the worker answered. */
const SERVING = 0;
const ANSWERED = 1;
/** How long finish() waits for the worker to be up (else it lints here), then for its answer. */
const START_TIMEOUT_MS = 15_000;
const ANSWER_TIMEOUT_MS = 120_000;

type Request =
  | { readonly kind: "start"; readonly settings: OutputLintSettings; readonly ruleFiles: readonly OutputFile[] }
  | { readonly kind: "add"; readonly text: string }
  | { readonly kind: "finish" };
type Answer = { readonly findings: Finding[] } | { readonly error: string };

/**
 * Lints in a worker thread running `entry`, a module that calls serveOutputLint() at its top
 * level (the build's bundle). The worker loads while the caller works; finish() blocks until it
 * answers (Atomics.wait), so the caller stays synchronous. A worker that never comes up (a
 * loader that needs the blocked main thread, as tsx's does) is dropped and the lint runs here.
 */
export function workerOutputLinter(entry: URL, startTimeoutMs = START_TIMEOUT_MS): OutputLinter {
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const { port1: answers, port2: answerPort } = new MessageChannel();
  const worker = new Worker(entry, { workerData: { role: ROLE, flags, answerPort }, transferList: [answerPort] });
  worker.unref();
  worker.on("error", () => {}); // one that never served is replaced by the fallback below
  const send = (request: Request) => worker.postMessage(request);
  // Kept for a worker that never comes up: then the lint runs here, and only then.
  let started: { settings: OutputLintSettings; ruleFiles: readonly OutputFile[] } | undefined;
  const dashboards: DashboardJson[] = [];
  return {
    start: (settings, ruleFiles) => {
      started = { settings, ruleFiles };
      send({ kind: "start", settings, ruleFiles });
    },
    // The text, not the object: a string is copied at once, an object graph cloned field by field.
    add: (dashboard, text) => {
      send({ kind: "add", text });
      dashboards.push(dashboard);
    },
    finish: () => {
      send({ kind: "finish" });
      try {
        if (Atomics.wait(flags, SERVING, 0, startTimeoutMs) === "timed-out") {
          const { settings, ruleFiles } = started ?? fail("output linter not started");
          const lint = new OutputLint(settings, ruleFiles);
          dashboards.forEach((d) => lint.dashboard(d));
          return lint.errors();
        }
        if (Atomics.wait(flags, ANSWERED, 0, ANSWER_TIMEOUT_MS) === "timed-out") throw new Error(`the output lint worker gave no answer in ${ANSWER_TIMEOUT_MS / 1000} s`);
        const answer = receiveMessageOnPort(answers)?.message as Answer | undefined; // from our own worker
        if (!answer) throw new Error("the output lint worker ended without an answer");
        if ("error" in answer) throw new Error(`the output lint worker failed: ${answer.error}`);
        return answer.findings;
      } finally {
        answers.close();
        void worker.terminate();
      }
    },
  };
}

/** In a worker started by workerOutputLinter: serves it and returns true; elsewhere false. */
export function serveOutputLint(port: MessagePort | null): boolean {
  const data: unknown = workerData;
  if (!port || typeof data !== "object" || data === null || !("role" in data) || data.role !== ROLE) return false;
  if (!("flags" in data && data.flags instanceof Int32Array && "answerPort" in data && data.answerPort instanceof MessagePort))
    throw new Error("output lint worker started without its channel");
  const { flags, answerPort } = data;
  const signal = (slot: number) => {
    Atomics.store(flags, slot, 1);
    Atomics.notify(flags, slot);
  };
  const answer = (message: Answer) => {
    answerPort.postMessage(message);
    signal(ANSWERED);
  };
  let lint: OutputLint | undefined;
  let failed = false;
  port.on("message", (request: Request) => {
    if (failed) return;
    try {
      if (request.kind === "start") lint = new OutputLint(request.settings, request.ruleFiles);
      else if (!lint) throw new Error("not started");
      else if (request.kind === "add") lint.dashboard(JSON.parse(request.text) as DashboardJson); // our build's own JSON text
      else answer({ findings: lint.errors() });
    } catch (error) {
      failed = true;
      answer({ error: error instanceof Error ? error.message : String(error) });
    }
  });
  signal(SERVING);
  return true;
}
