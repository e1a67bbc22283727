// What every bench shares: medians of repeated runs, a reference measured in the same run (the
// machine may be shared and busy: compare against it), and a verdict on the budget.

import { spawnSync } from "node:child_process";

export const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Milliseconds of each of `runs` calls of `fn`. */
export async function timeRuns(runs: number, fn: (run: number) => unknown): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await fn(run);
    times.push(performance.now() - started);
  }
  return times;
}

/** Start-up of a bare Node process (`node -e 0`), the same-run reference for command timings. */
export function nodeStartup(): number {
  const started = performance.now();
  spawnSync(process.execPath, ["-e", "0"], { stdio: "ignore" });
  return performance.now() - started;
}

/**
 * `runs` timings of `fn`, each right after a `node -e 0` reference run, so that both see the
 * same load on a shared machine.
 */
export async function pairedRuns(runs: number, fn: (run: number) => unknown): Promise<{ samples: number[]; reference: number[] }> {
  const samples: number[] = [];
  const reference: number[] = [];
  for (let run = 0; run < runs; run++) {
    reference.push(nodeStartup());
    samples.push((await timeRuns(1, () => fn(run)))[0]!);
  }
  return { samples, reference };
}

const fmt = (ms: number) => (ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);

export const describeRuns = (xs: readonly number[]) => `median ${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}, ${xs.length} runs)`;

/** Verdicts given so far; a bench exits 1 when any budget was missed. */
const verdicts: boolean[] = [];

/** Prints a timing with its reference and its budget; returns whether the median is within it. */
export function judge(label: string, samples: readonly number[], budgetMs: number, reference: readonly number[]): boolean {
  const ok = median(samples) <= budgetMs;
  verdicts.push(ok);
  console.log(`${label}: ${describeRuns(samples)}; budget ${fmt(budgetMs)}: ${ok ? "within" : "OVER"}`);
  console.log(`  same-run reference, node -e 0: ${describeRuns(reference)} (budget minus reference: ${fmt(budgetMs - median(reference))})`);
  return ok;
}

/** Prints a figure judged against a limit other than time (memory, throughput). */
export function judgeValue(label: string, value: string, ok: boolean, budget: string): void {
  verdicts.push(ok);
  console.log(`${label}: ${value}; budget ${budget}: ${ok ? "within" : "OVER"}`);
}

export function exitWithVerdict(): void {
  process.exitCode = verdicts.every(Boolean) ? 0 : 1;
}
