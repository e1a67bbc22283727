// The typed builder in cluster mode: a user sets `clusterLabel` in build.config.ts and the
// definitions may name that label like any other, while a label no metric has still fails.
// The type checker compiles a definition file twice, over build.config.ts as committed (single
// cluster) and with its `clusterLabel` line changed, as a user would change it. Not a *.test-d.ts
// case: the setting is global to a program, so the changed config needs a program of its own.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { metrics as m } from "../../catalogue/metrics";
import { dashboards } from "../../dashboards";
import { compileDashboard } from "../../src/compile/dashboard";
import { query } from "../../src/kit/panel";
import { rate, sum } from "../../src/kit/promql";

const root = fileURLToPath(new URL("../..", import.meta.url));
const configPath = `${root}build.config.ts`;
const definitionPath = `${root}test/kit/cluster-definition.ts`; // never on disk
const LABEL = "k8s_cluster"; // not "cluster": the type comes from the setting, not a fixed name
const committedSetting = "export const clusterLabel = undefined;";

// Lines marked `// cluster` name the cluster label: they compile in cluster mode only.
const definition = `
import { metrics as m } from "../../catalogue/metrics";
import { labelVariable } from "../../src/kit/dashboard";
import { query } from "../../src/kit/panel";
import { absent, and, current, histogramQuantile, rate, sum } from "../../src/kit/promql";
import { alert } from "../../src/kit/alert";
import { eventSystem } from "../../dashboards/event-system";

const perCluster = sum(rate(m.kong_http_requests_total), { by: ["${LABEL}", "service"] }); // cluster
query(perCluster, { legend: (l) => \`\${l.${LABEL}} \${l.service}\` }); // cluster
query(sum(rate(m.kong_http_requests_total)), { legend: (l) => l.${LABEL} }); // cluster
query(histogramQuantile(0.99, m.kong_request_latency_ms, { by: ["service"] }), { legend: (l) => l.${LABEL} }); // cluster
query(rate(m.istio_requests_total, { ${LABEL}: "b", reporter: "destination" }), { legend: (l) => l.destination_service_name }); // cluster
query(current(m.kafka_consumergroup_lag, { ${LABEL}: "b" }), { legend: (l) => l.topic }); // cluster
labelVariable("cluster", "Cluster", m.up, "${LABEL}"); // cluster
and(current(m.kafka_brokers), absent(m.up), { on: ["${LABEL}"] }); // cluster
alert({
  name: "BrokersMissing",
  expr: absent(m.kafka_brokers),
  for: "5m",
  severity: "warning",
  summary: "Brokers missing.",
  description: (l) => \`kafka_brokers is missing in \${l.${LABEL}}.\`, // cluster
  panel: eventSystem.ref.brokerStatus,
});

// @ts-expect-error "cluster" is not the configured name
sum(rate(m.kong_http_requests_total), { by: ["cluster"] });
// @ts-expect-error kong_http_requests_total still has no destination_service_name
sum(rate(m.kong_http_requests_total), { by: ["destination_service_name"] });
// @ts-expect-error route was aggregated away; only the cluster label is added back
query(sum(rate(m.kong_http_requests_total), { by: ["service"] }), { legend: (l) => l.route });
// @ts-expect-error a matcher on a label the metric lacks
current(m.kafka_consumergroup_lag, { cluster: "b" });
// @ts-expect-error kafka_brokers has no labels but the cluster's
current(m.kafka_brokers, { cluster: "b" });
current(m.kafka_brokers, { ${LABEL}: "b" }); // cluster
`;

/** Type errors of the definition file, as "line: message", over build.config.ts as given. */
function typeErrors(configText: string): string[] {
  const options: ts.CompilerOptions = {
    ...ts.parseJsonConfigFileContent(ts.readConfigFile(`${root}tsconfig.json`, ts.sys.readFile).config, ts.sys, root).options,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (file === configPath ? configText : file === definitionPath ? definition : readFile(file));
  host.fileExists = ((exists) => (file: string) => file === definitionPath || exists(file))(host.fileExists.bind(host));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError) =>
    file === definitionPath || file === configPath ? ts.createSourceFile(file, host.readFile(file)!, language) : getSourceFile(file, language, onError);
  const program = ts.createProgram([definitionPath, configPath], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === definitionPath || d.file?.fileName === configPath)
    .map((d) => `${d.file!.fileName === configPath ? "build.config.ts " : ""}${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

const committed = readFileSync(configPath, "utf8");
const clusterLines = definition.split("\n").flatMap((line, index) => (line.endsWith("// cluster") ? [index + 1] : []));

describe(`the typed builder in cluster mode (clusterLabel: "${LABEL}")`, () => {
  it("build.config.ts sets clusterLabel in one line a user can change", () => {
    expect(committed.split("\n")).toContain(committedSetting);
  });

  it("knows the label on every metric and every aggregation, and still refuses labels no metric has", () => {
    const on = committed.replace(committedSetting, `export const clusterLabel = "${LABEL}";`);
    expect(typeErrors(on)).toEqual([]);
  });

  it("single cluster (as committed): exactly the lines naming the cluster label fail", () => {
    const errors = typeErrors(committed);
    expect(clusterLines.length).toBeGreaterThanOrEqual(8);
    expect([...new Set(errors.map((e) => Number(e.split(":")[0])))]).toEqual(clusterLines);
  });
});

describe("a legend that names the cluster itself", () => {
  it("is kept as written; every other legend gets the cluster put in front", () => {
    const [def] = dashboards;
    const [panel] = def!.panels;
    // At run time the label is whatever the build says; the type of `l` is the committed setting's.
    const named = query(sum(rate(m.kong_http_requests_total), { by: ["service"] }), { legend: (l) => `${(l as Record<string, string>)[LABEL]} · ${l.service}` });
    const changed = { ...def!, panels: [{ ...panel!, targets: [named, ...panel!.targets] }, ...def!.panels.slice(1)] };
    const json = compileDashboard(changed, LABEL);
    const targets = json.panels[0]?.targets;
    const legends = Array.isArray(targets) ? targets.map((t: { legendFormat?: string }) => t.legendFormat) : [];
    expect(legends[0]).toBe(`{{${LABEL}}} · {{service}}`);
    for (const [i, t] of panel!.targets.entries()) if (t.legendFormat) expect(legends[i + 1]).toBe(`{{${LABEL}}} ${t.legendFormat}`);
  });
});
