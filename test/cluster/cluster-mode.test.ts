// Cluster mode (build.config.ts clusterLabel) from the outside: build with it on, then read every
// compiled query and rule with the project's PromQL parser (the official lezer grammar) and ask
// which labels its answer carries. Off, the committed out/ stays single-cluster.

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateOutputs } from "../../src/pipeline/generate";
import { platformCatalogue, platformInput } from "../../scripts/platform";
import { collectPanels, dashboardVariables, defaultOptions, lintQuery } from "../../src/lint/index";
import { queryContext } from "../../src/lint/promql/lint";
import type { QueryMode } from "../../src/lint/rule";
import type { DashboardVariable } from "../../src/lint/promql/variables";
import { isObject } from "../../src/lint/types";

const CLUSTER = "k8s_cluster"; // not "cluster": proves the name comes from the config
const options = defaultOptions(platformCatalogue, { clusterLabel: CLUSTER });
const { files, counts } = generateOutputs({ ...platformInput, config: { ...platformInput.config, clusterLabel: CLUSTER } });

interface Query {
  readonly where: string;
  readonly expr: string;
  readonly mode: QueryMode;
  readonly variables?: readonly DashboardVariable[];
}

const dashboards = files.filter((f) => f.path.startsWith("dashboards/")).map((f) => ({ path: f.path, json: JSON.parse(f.content) as Record<string, unknown> }));
const dashboardQueries: Query[] = dashboards.flatMap(({ path, json }) =>
  collectPanels(json).flatMap(({ panel }) =>
    (panel.targets as { expr: string; refId: string }[]).map((t) => ({ where: `${path} › ${String(panel.title)} › ${t.refId}`, expr: t.expr, mode: "dashboard" as const, variables: dashboardVariables(json) })),
  ),
);
const ruleQueries: Query[] = files
  .filter((f) => f.path.startsWith("prometheus/"))
  .flatMap((f) => {
    const doc: unknown = parse(f.content);
    const groups = isObject(doc) && Array.isArray(doc.groups) ? doc.groups : [];
    return groups.flatMap((g: { rules: { alert?: string; record?: string; expr: string }[] }) =>
      g.rules.map((r) => ({ where: `${f.path} › ${r.alert ?? r.record}`, expr: r.expr, mode: "rule" as const })),
    );
  });

describe(`cluster mode (clusterLabel: ${CLUSTER})`, () => {
  it("compiles every panel query and rule of the platform", () => {
    expect(dashboardQueries.length).toBeGreaterThanOrEqual(27);
    expect(ruleQueries.length).toBe(counts.alerts + counts.recordings);
  });

  it("every query and rule answers per cluster: the parsed result keeps the label", () => {
    const lost = [...dashboardQueries, ...ruleQueries].filter((q) => {
      const { parsed } = queryContext(q.expr, { mode: q.mode, profile: "own", variables: q.variables }, options);
      return parsed.hasSyntaxErrors || !parsed.root.labels?.has(CLUSTER);
    });
    expect(lost.map((q) => `${q.where}: ${q.expr}`)).toEqual([]);
  });

  it("no aggregation, match or fallback on the way drops it (lint rule cluster-label-kept)", () => {
    const findings = [...dashboardQueries, ...ruleQueries].flatMap((q) =>
      lintQuery(q.expr, { mode: q.mode, profile: "own", variables: q.variables }, options).findings.filter((f) => f.rule.id === "cluster-label-kept").map((f) => `${q.where}: ${f.message}`),
    );
    expect(findings).toEqual([]);
  });

  it("every dashboard has a multi-select $cluster with All, and every selector filters on it", () => {
    for (const { path, json } of dashboards) {
      const templating = json.templating as { list: { name: string; multi: boolean; includeAll: boolean; query: string }[] };
      const variable = templating.list.find((v) => v.name === "cluster");
      expect(variable, path).toMatchObject({ multi: true, includeAll: true, query: `label_values(up, ${CLUSTER})` });
    }
    const unfiltered = dashboardQueries.flatMap((q) => {
      const { parsed } = queryContext(q.expr, { mode: q.mode, profile: "own", variables: q.variables }, options);
      return parsed.nodes
        .filter((n) => n.kind === "selector" && !n.matchers.some((m) => m.label === CLUSTER && m.op === "=~"))
        .map((n) => `${q.where}: ${q.expr.slice(n.from, n.to)}`);
    });
    expect(unfiltered).toEqual([]);
  });

  it("absence is per cluster, not a global absent()", () => {
    const absences = ruleQueries.filter((q) => /absent/i.test(q.where));
    expect(absences.length).toBeGreaterThan(0);
    for (const q of absences) expect(q.expr, q.where).not.toMatch(/\babsent\(/);
  });

  it("every alert description names its cluster", () => {
    for (const f of files.filter((f) => f.path.startsWith("prometheus/"))) {
      const doc = parse(f.content) as { groups: { rules: { alert?: string; annotations?: { description: string } }[] }[] };
      for (const r of doc.groups.flatMap((g) => g.rules).filter((r) => r.alert)) expect(r.annotations?.description, r.alert).toContain(`{{ $labels.${CLUSTER} }}`);
    }
  });

  it("off by default: the platform's config has no cluster label and out/ shows none", () => {
    expect(platformInput.config.clusterLabel).toBeUndefined();
    const single = generateOutputs(platformInput).files;
    expect(single.filter((f) => f.content.includes("$cluster") || f.content.includes(CLUSTER)).map((f) => f.path)).toEqual([]);
  });
});

describe("lint rule cluster-label-kept on files that are not ours", () => {
  const foreign = 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))';
  const ids = (clusterForeign: boolean) =>
    lintQuery(foreign, { mode: "rule", profile: "foreign" }, { ...options, clusterForeign }).findings.map((f) => f.rule.id).filter((id) => id === "cluster-label-kept");

  it("stays quiet by default and reports both sums with the option", () => {
    expect(ids(false)).toEqual([]);
    expect(ids(true)).toEqual(["cluster-label-kept", "cluster-label-kept"]);
  });
});
