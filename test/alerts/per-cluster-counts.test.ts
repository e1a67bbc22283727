// Expected broker counts per cluster, as a user sets them in build.config.ts: cluster b runs 5
// brokers, every other cluster the default 3. Proven with promtool on the compiled rule file:
// one broker down in b (4 of 5 up, which would pass a global count of 3) fires for b only, a
// with 3 of 3 stays silent, and c, not listed, is held to the default.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parse, stringify } from "yaml";
import { grafanaData } from "../../scripts/grafana-data";
import { grafanaFrames } from "../support/grafana-frames";
import { panelData, type PanelJson } from "../support/grafana-panels";
import { promtool } from "../support/prometheus";

vi.mock("../../build.config", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../build.config")>();
  return { ...original, deployment: { ...original.deployment, kafkaBrokers: { default: 3, byCluster: { b: 5 } } } };
});

const { deployment } = await import("../../build.config");
const { platformInput } = await import("../../scripts/platform");
const { generateOutputs } = await import("../../src/pipeline/generate");
const { dashboards } = await import("../../dashboards");
const { thresholds } = await import("../../catalogue/thresholds");

const ALERT = "KafkaBrokerDown";
const END_S = 1_700_000_000;
const LABEL = "k8s_cluster";
const build = (clusterLabel?: string) => generateOutputs({ ...platformInput, config: { ...platformInput.config, clusterLabel } });
const dir = mkdtempSync(join(tmpdir(), "per-cluster-counts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Rule {
  readonly alert?: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

describe("expected Kafka brokers per cluster (deployment.kafkaBrokers = { default: 3, byCluster: { b: 5 } })", () => {
  const clustered = build(LABEL);
  const file = clustered.files.find((f) => f.path.startsWith("prometheus/") && f.content.includes(`alert: ${ALERT}`))!;
  const rule = (parse(file.content) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules).find((r) => r.alert === ALERT)!;

  it("builds in cluster mode, comparing each cluster with its own count", () => {
    expect(rule.expr).toContain(`< on (${LABEL})`);
  });

  it("promtool: a broker down in b (4 of 5) fires for b only; a (3 of 3) is silent; c, unlisted, gets the default 3", () => {
    const selector = deployment.scrapeTargets.kafkaBrokers;
    const up = (cluster: string, brokers: number, down: number) =>
      Array.from({ length: brokers }, (_, i) => ({
        series: `up{${LABEL}="${cluster}", job="${String(selector.job)}", pod="carbon-kafka-${i}"}`,
        values: i < brokers - down ? "1x10" : "0x10",
      }));
    const firing = (cluster: string) => {
      const labels = { __name__: "ALERTS", alertname: ALERT, alertstate: "firing", [LABEL]: cluster, ...rule.labels };
      return { labels: `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(", ")}}`, value: 1 };
    };
    writeFileSync(join(dir, "rules.yaml"), file.content);
    writeFileSync(
      join(dir, "test.yaml"),
      stringify({
        rule_files: ["rules.yaml"],
        evaluation_interval: "1m",
        tests: [
          {
            interval: "1m",
            input_series: [...up("a", 3, 0), ...up("b", 5, 1), ...up("c", 3, 1)],
            promql_expr_test: [
              { expr: `ALERTS{alertname="${ALERT}", alertstate="firing"}`, eval_time: "5m", exp_samples: [firing("b"), firing("c")] },
              // The same outage in the single-count world: b's 4 brokers pass the default of 3.
              { expr: `${rule.expr.split(" < ")[0]} < 3`, eval_time: "5m", exp_samples: [{ labels: `{${LABEL}="c"}`, value: 2 }] },
            ],
          },
        ],
      }),
    );
    const run = promtool(["test", "rules", "test.yaml"], { cwd: dir });
    expect(run.output).toContain("SUCCESS");
    expect(run.status, run.output).toBe(0);
  });

  it("the panel the alert links to colours each cluster by its own count, as Grafana applies the field config", async () => {
    // The alert's dashboard_url names the panel; the definition says which of its queries draws the count.
    const [, uid, id] = /\/d\/([^?]+)\?viewPanel=(\d+)/.exec(rule.annotations?.dashboard_url ?? "")!;
    const json = JSON.parse(clustered.files.find((f) => f.path === `dashboards/${uid}.json`)!.content) as { panels: (PanelJson & { id: number; targets: { refId: string; expr: string; legendFormat?: string }[] })[] };
    const panel = json.panels.find((p) => p.id === Number(id))!;
    const index = dashboards.find((d) => d.uid === uid)!.panels.find((p) => p.id === Number(id))!.targets.findIndex((t) => t.threshold === thresholds.kafkaExpectedBrokers);
    const target = panel.targets[index]!;
    const colour = async (brokers: Record<string, number>) => {
      const result = Object.entries(brokers).map(([cluster, n]) => ({ metric: { [LABEL]: cluster }, value: [END_S, String(n)] }));
      const frames = grafanaFrames([{ query: target, data: { resultType: "vector", result } }]);
      const data = await panelData(panel, frames);
      return Object.fromEntries(
        data.flatMap((frame) => frame.fields.filter((f) => f.type === "number").map((f) => {
          const cluster = Object.keys(brokers).find((c) => (f.config.displayNameFromDS ?? "").startsWith(`${c} `))!;
          return [cluster, grafanaData().getActiveThreshold(brokers[cluster]!, f.config.thresholds?.steps).color];
        })),
      );
    };
    expect(await colour({ a: 3, b: 4, c: 2 })).toEqual({ a: "green", b: "red", c: "red" });
    expect(await colour({ a: 2, b: 5, c: 3 })).toEqual({ a: "red", b: "green", c: "green" });
  });

  it("without cluster mode the build fails, naming the rule and the setting", () => {
    expect(() => build()).toThrow(new RegExp(`event-system › ${ALERT}: cannot render rule: values per cluster \\(b\\) need cluster mode: set clusterLabel in build.config.ts`));
  });
});
