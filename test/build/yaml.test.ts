// toYaml writes embedded multi-line texts (a ConfigMap's dashboard JSON) itself instead of
// leaving them to the yaml library: whatever the document, its output must be the library's.

import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { toYaml, YAML_OPTIONS } from "../../src/compile/kubernetes";
import { platformInput } from "../../scripts/platform";
import { generateOutputs } from "../../src/pipeline/generate";

const library = (document: unknown) => stringify(document, YAML_OPTIONS);
const body = (document: unknown) => toYaml(document, "test").replace(/^#.*\n/, "");

/** Lines as dashboards, prose and hostile input have them: indentation, blanks, quotes, control characters, non-ASCII. */
const line = fc.oneof(
  fc.string(),
  fc.constantFrom("", " ", "  indented", "---", "...", "% directive", "# hash", "- item", "key: value", "tab\there", "trailing ", "\x85", "\x7f", "é ü ∑", "\u{1F600}", "\ud800", "\r"),
);
const multiline = fc.oneof(
  fc.array(line, { minLength: 1, maxLength: 6 }).map((lines) => lines.join("\n")),
  fc.tuple(fc.array(line, { minLength: 1, maxLength: 6 }), fc.constantFrom("", "\n", "\n\n", " \n", "\n ")).map(([lines, end]) => lines.join("\n") + end),
  fc.jsonValue().map((v) => `${JSON.stringify(v, null, 2)}\n`),
);
const key = fc.oneof(fc.constantFrom("data", "json", "scale-0.json", "a b", "- x", "? q", ": c", "yaml-block-0-of-254carbon-build", "x\ny", "#"), fc.string(), fc.string({ minLength: 1100, maxLength: 1100 }));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: "small" }, multiline, fc.string(), fc.integer(), fc.constant(null), fc.array(tie("tree"), { maxLength: 3 }), fc.dictionary(key, tie("tree"), { maxKeys: 4 })),
}));

describe("toYaml writes what the yaml library writes", () => {
  it("for any document of maps, lists and (multi-line) strings", () => {
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 4 }), (document) => {
        expect(body(document)).toBe(library(document));
      }),
      { numRuns: 2000 },
    );
  });

  it("for placeholder look-alikes among the values", () => {
    const text = `${JSON.stringify({ a: 1 }, null, 2)}\n`;
    for (const document of [
      { a: "yaml-block-0-of-254carbon-build", b: text },
      { b: text, a: "yaml-block-0-of-254carbon-build" },
      { a: text, b: "yaml-block-1-of-254carbon-build", c: text },
    ])
      expect(body(document)).toBe(library(document));
  });

  it("for the ConfigMap of every dashboard the build generates", () => {
    const dashboards = generateOutputs(platformInput).files.filter((f) => f.path.startsWith("dashboards/"));
    expect(dashboards.length).toBeGreaterThan(0);
    for (const { path, content } of dashboards) {
      const document = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: path }, data: { [path]: content } };
      expect(body(document), path).toBe(library(document));
      expect(body(document), path).toContain(": |\n    {\n"); // the path that is written directly
    }
  });
});
