// The rule files as a global ruler reads them (README "Where to evaluate which rule"). No Mimir or
// Thanos binary runs here, so each file is checked against the structures they decode it into,
// as read at their source, strictly (unknown fields are errors in both), and promtool checks the
// rules themselves:
// - mimirtool (`rules sync/load/lint`), grafana/mimir pkg/mimirtool/rules/parser.go ParseBytes:
//   yaml.v3 with KnownFields(true) into RuleNamespace { namespace?, groups: []rwrulefmt.RuleGroup },
//   rwrulefmt.RuleGroup = Prometheus rulefmt.RuleGroup inline + remote_write; a file without
//   `namespace:` is the namespace named after it without its extension (ParseFiles), and two
//   files may not share one.
// - Thanos Rule, thanos-io/thanos pkg/rules/manager.go ValidateAndCount/configRuleAdapter:
//   yaml.UnmarshalStrict into { groups: [rulefmt.RuleGroup inline + partial_response_strategy] };
//   no strategy means ABORT (storepb PartialResponseStrategy.UnmarshalJSON).
// - Prometheus model/rulefmt/rulefmt.go RuleGroup and Rule: the fields both share.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, extname, join } from "node:path";
import { Ajv, type AnySchema } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildPlatform } from "../support/cluster-mode";
import { promtool } from "../support/prometheus";

// prometheus/common model.ParseDuration
const duration = { type: "string", pattern: "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$", minLength: 2 };
const stringMap = { type: "object", additionalProperties: { type: "string" } };
const rule = {
  type: "object",
  additionalProperties: false,
  required: ["expr"],
  properties: {
    record: { type: "string" },
    alert: { type: "string" },
    expr: { type: "string", minLength: 1 },
    for: duration,
    keep_firing_for: duration,
    labels: stringMap,
    annotations: stringMap,
  },
};
const ruleGroup = {
  name: { type: "string", minLength: 1 },
  interval: duration,
  query_offset: duration,
  limit: { type: "integer" },
  rules: { type: "array", items: rule },
  labels: stringMap,
};
const group = (extra: object) => ({ type: "object", additionalProperties: false, required: ["name", "rules"], properties: { ...ruleGroup, ...extra } });
const groups = (extra: object) => ({ type: "array", items: group(extra) });

const mimirNamespace = {
  type: "object",
  additionalProperties: false,
  properties: { namespace: { type: "string" }, groups: groups({ remote_write: { type: "array", items: { type: "object", additionalProperties: false, properties: { url: { type: "string" } } } } }) },
};
const thanosFile = {
  type: "object",
  additionalProperties: false,
  properties: { groups: groups({ partial_response_strategy: { type: "string", pattern: "^([Ww][Aa][Rr][Nn]|[Aa][Bb][Oo][Rr][Tt])$" } }) },
};

const ajv = new Ajv({ allErrors: true });
const check = (schema: AnySchema) => {
  const validate = ajv.compile(schema);
  return (doc: unknown): string[] => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
};
const mimir = check(mimirNamespace);
const thanos = check(thanosFile);

interface RuleFile {
  readonly path: string;
  readonly content: string;
}

const committed: RuleFile[] = readdirSync(new URL("../../out/prometheus", import.meta.url))
  .filter((name) => name.endsWith(".yaml"))
  .map((name) => ({ path: `prometheus/${name}`, content: readFileSync(new URL(`../../out/prometheus/${name}`, import.meta.url), "utf8") }));
const clustered: RuleFile[] = [...buildPlatform("k8s_cluster").ruleFiles].map(([path, content]) => ({ path, content }));

const dir = mkdtempSync(join(tmpdir(), "global-ruler-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ["out/prometheus as committed (single cluster)", committed],
  ["cluster mode (clusterLabel k8s_cluster)", clustered],
])("rule files for a global ruler: %s", (_, files) => {
  it("are the three rule files", () => {
    expect(files.map((f) => f.path).sort()).toEqual(["prometheus/api-gateway.rules.yaml", "prometheus/event-system.rules.yaml", "prometheus/service-mesh.rules.yaml"]);
  });

  it("mimirtool reads each as one namespace, named after its file, none twice; group names unique within it", () => {
    const namespaces = files.map((f) => {
      const doc = parse(f.content) as { namespace?: string; groups: { name: string }[] };
      expect(mimir(doc), f.path).toEqual([]);
      const names = doc.groups.map((g) => g.name);
      expect(new Set(names).size, f.path).toBe(names.length);
      return doc.namespace ?? basename(f.path, extname(f.path));
    });
    expect(new Set(namespaces).size).toBe(files.length);
  });

  it("Thanos Rule reads each strictly, with the ABORT strategy (a store missing fails evaluation, no per-cluster guard fires on partial data)", () => {
    for (const f of files) {
      const doc = parse(f.content) as { groups: { partial_response_strategy?: string }[] };
      expect(thanos(doc), f.path).toEqual([]);
      expect(doc.groups.map((g) => (g.partial_response_strategy ?? "ABORT").toUpperCase()), f.path).not.toContain("WARN");
    }
  });

  it("promtool accepts the rules", () => {
    for (const f of files) {
      const path = join(dir, basename(f.path));
      writeFileSync(path, f.content);
      const run = promtool(["check", "rules", path]);
      expect(run.status, `${f.path}\n${run.output}`).toBe(0);
    }
  });
});

describe("the format checks can fail", () => {
  const sample = parse(committed[0]!.content) as { groups: Record<string, unknown>[] };

  it("Thanos refuses mimirtool's namespace key; mimirtool refuses Thanos's strategy", () => {
    expect(thanos({ namespace: "x", ...sample })).not.toEqual([]);
    expect(mimir({ groups: sample.groups.map((g) => ({ ...g, partial_response_strategy: "WARN" })) })).not.toEqual([]);
    expect(thanos({ groups: sample.groups.map((g) => ({ ...g, partial_response_strategy: "WARN" })) })).toEqual([]);
  });

  it("both refuse a field Prometheus's rulefmt does not have", () => {
    const withSource = { groups: sample.groups.map((g) => ({ ...g, rules: (g.rules as object[]).map((r) => ({ ...r, source: "alerts/x.ts" })) })) };
    expect(mimir(withSource)).not.toEqual([]);
    expect(thanos(withSource)).not.toEqual([]);
  });
});
