// panel-overlap (issue 11 item 14) is computed with a per-column index instead of comparing every
// pair; it must report exactly the panels a pairwise comparison finds: each panel that overlaps
// an earlier panel of the same layout.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lintDashboard } from "../../src/lint/dashboard";
import { defaultOptions } from "../../src/lint/options";

const options = defaultOptions([]);
type Box = { x: number; y: number; w: number; h: number };

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function reported(boxes: readonly Box[]): number[] {
  const panels = boxes.map((gridPos, i) => ({ id: i + 1, type: "text", title: `P${i + 1}`, gridPos }));
  const findings = lintDashboard({ uid: "u", title: "T", panels }, { file: "d.json", profile: "own" }, options);
  return findings.filter((f) => f.rule === "panel-overlap").map((f) => Number(/^P(\d+)$/.exec(f.location[1] ?? "")?.[1]) - 1).sort((a, b) => a - b);
}

describe("panel-overlap", () => {
  it("reports the same panels as comparing every pair (property)", () => {
    const box = fc.record({ x: fc.integer({ min: 0, max: 23 }), y: fc.integer({ min: 0, max: 30 }), w: fc.integer({ min: 1, max: 24 }), h: fc.integer({ min: 1, max: 10 }) }).filter((b) => b.x + b.w <= 24);
    fc.assert(
      fc.property(fc.array(box, { maxLength: 40 }), (boxes) => {
        const expected = boxes.flatMap((b, i) => (boxes.slice(0, i).some((a) => overlap(a, b)) ? [i] : []));
        expect(reported(boxes)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("names an earlier panel that really overlaps", () => {
    const panels = [{ x: 0, y: 0, w: 12, h: 8 }, { x: 12, y: 0, w: 12, h: 8 }, { x: 6, y: 4, w: 12, h: 8 }].map((gridPos, i) => ({ id: i + 1, type: "text", title: `P${i + 1}`, gridPos }));
    const [finding] = lintDashboard({ uid: "u", title: "T", panels }, { file: "d.json", profile: "own" }, options).filter((f) => f.rule === "panel-overlap");
    expect(finding?.location[1]).toBe("P3");
    expect(finding?.message).toMatch(/^overlaps P[12] /);
  });
});
