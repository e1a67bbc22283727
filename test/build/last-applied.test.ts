// The ConfigMap size check skips serializing objects that are surely under kubectl's limit: the
// bound it uses must never be below the real size.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonSizeBound, LAST_APPLIED_LIMIT_BYTES, lastAppliedProblems } from "../../src/compile/kubernetes";

const text = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.constantFrom("\x00", "\x1f", '"', "\\", "\ud800", "\u{1F600}", "\u2028"));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie("value")), fc.dictionary(text, tie("value"))),
}));

describe("the size bound of the last-applied check", () => {
  it("is at least the UTF-8 size of the JSON text", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(jsonSizeBound(v)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(v)));
      }),
      { numRuns: 3000 },
    );
  });

  it("lets the exact check decide near the limit", () => {
    const near = (n: number) => ({ data: { "d.json": "\u0001".repeat(n) } }); // 6 bytes each in JSON
    const over = Math.ceil(LAST_APPLIED_LIMIT_BYTES / 6);
    expect(lastAppliedProblems(["d"], "ConfigMap", near(over))).toHaveLength(1);
    expect(lastAppliedProblems(["d"], "ConfigMap", near(over - 10))).toHaveLength(0);
  });
});
