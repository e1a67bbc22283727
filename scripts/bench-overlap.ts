// npm run bench:overlap: the panel-overlap check on very large dashboards (issue 11 item 14),
// beside the pairwise comparison it replaced, measured in the same run.
//   npm run bench:overlap -- --sizes 40000,132000 --runs 3 --pairwise-max 40000

import { parseArgs } from "node:util";
import { lintDashboard } from "../src/lint/dashboard";
import { defaultOptions } from "../src/lint/options";

const { values } = parseArgs({ options: { sizes: { type: "string", default: "40000,132000" }, runs: { type: "string", default: "3" }, "pairwise-max": { type: "string", default: "40000" } } });
const sizes = values.sizes.split(",").map(Number);
const runs = Number(values.runs);
const pairwiseMax = Number(values["pairwise-max"]);
const options = defaultOptions([]);

type Box = { x: number; y: number; w: number; h: number };
/** A grid of half-width text panels (no queries: only layout is measured) with one overlap at the end. */
function boxes(n: number): Box[] {
  const out = Array.from({ length: n }, (_, i) => ({ x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 }));
  out.push({ x: 6, y: 4, w: 12, h: 8 });
  return out;
}

/** The check as it was: every panel against every earlier one of its layout. */
function pairwise(list: readonly Box[]): number {
  const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  let found = 0;
  for (let i = 0; i < list.length; i++)
    for (let j = 0; j < i; j++)
      if (overlaps(list[j]!, list[i]!)) {
        found++;
        break;
      }
  return found;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (f: () => unknown): number => {
  const start = performance.now();
  f();
  return performance.now() - start;
};

for (const n of sizes) {
  const list = boxes(n);
  const dashboard = { uid: "big", title: "Big", panels: list.map((gridPos, i) => ({ id: i + 1, type: "text", title: `P${i}`, gridPos })) };
  let reported = 0;
  const lint = median(
    Array.from({ length: runs }, () =>
      time(() => (reported = lintDashboard(dashboard, { file: "big.json", profile: "own" }, options).filter((f) => f.rule === "panel-overlap").length)),
    ),
  );
  const reference = n <= pairwiseMax ? `${(time(() => pairwise(list)) / 1000).toFixed(2)} s` : "not run (above --pairwise-max)";
  console.log(`${String(n + 1).padStart(7)} panels: whole dashboard lint ${(lint / 1000).toFixed(2)} s median of ${runs} (${reported} overlap found); pairwise overlap alone: ${reference}`);
}
