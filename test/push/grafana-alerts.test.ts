import { describe, expect, it } from "vitest";
import { ruleGroups } from "../../alerts/index";
import { metrics as m } from "../../catalogue/metrics";
import { alertRuleUid, compileGrafanaAlertGroups, grafanaValueTemplates } from "../../src/compile/grafana-alerts";
import { GrafanaClient } from "../../src/grafana/client";
import { loadOutputs } from "../../src/grafana/manifest";
import { push } from "../../src/grafana/push";
import { alert, value, type RuleGroupDef } from "../../src/kit/alert";
import { absent, current, gt, lt, rate, sum } from "../../src/kit/promql";
import { FOLDERS, generateSpec, writeOutDir } from "./fixtures";
import { GrafanaDouble } from "./grafana-double";
import { clientFor } from "./helpers";

const panel = { dashboardUid: "kafka", panelId: 3 };

const kafkaGroup: RuleGroupDef = {
  name: "kafka-test",
  rateWindow: "5m",
  interval: "30s",
  labels: { component: "kafka", team: "group-team" },
  alerts: [
    alert({
      name: "HighConsumerLag",
      expr: gt(sum(current(m.kafka_consumergroup_lag), { by: ["consumergroup", "topic"] }), 10000),
      for: "10m",
      keepFiringFor: "5m",
      severity: "warning",
      summary: "A consumer group falls behind.",
      description: (l) => `Group ${l.consumergroup} is ${value.humanize} messages behind on ${l.topic}.`,
      panel,
      labels: { team: "data" },
    }),
    alert({
      name: "KafkaBrokerDown",
      expr: lt(current(m.kafka_brokers), 3),
      for: "5m",
      severity: "critical",
      summary: "A Kafka broker is down.",
      description: () => "Fewer brokers than expected.",
      panel,
    }),
  ],
};

const rateGroup: RuleGroupDef = {
  name: "rates",
  rateWindow: "2m",
  alerts: [
    alert({
      name: "ExporterGone",
      expr: gt(rate(m.istio_requests_total, {}), 0),
      for: "1m",
      severity: "info",
      summary: "Traffic exists.",
      description: () => "x",
      panel,
    }),
  ],
};

const options = { datasourceUid: "prom-uid", folderUid: "carbon-alerts" };
// any: the test walks deeply nested rule JSON; typing every level would only restate the compiler.
type Rule = Record<string, any>;

function compiled(groups: RuleGroupDef[]) {
  return compileGrafanaAlertGroups(groups, options).files.map((f) => ({ path: f.path, body: JSON.parse(f.content) as { title: string; folderUid: string; interval: number; rules: Rule[] } }));
}

describe("compileGrafanaAlertGroups", () => {
  it("writes one provisioning rule-group body per group", () => {
    const files = compiled([kafkaGroup, rateGroup]);
    expect(files.map((f) => f.path)).toEqual(["grafana/alert-rules/kafka-test.json", "grafana/alert-rules/rates.json"]);
    const kafka = files[0]!.body;
    expect(kafka.title).toBe("kafka-test");
    expect(kafka.folderUid).toBe("carbon-alerts");
    expect(kafka.interval).toBe(30);
    expect(files[1]!.body.interval).toBe(60); // default 1m
    expect(kafka.rules.map((r) => r.title)).toEqual(["HighConsumerLag", "KafkaBrokerDown"]);
  });

  it("renders the expression with the group's rate window into query A, then reduce B and condition C", () => {
    const lag = compiled([kafkaGroup])[0]!.body.rules[0]!;
    expect(lag.condition).toBe("C");
    expect(lag.folderUID).toBe("carbon-alerts");
    expect(lag.ruleGroup).toBe("kafka-test");
    const [a, b, c] = lag.data;
    expect(a.refId).toBe("A");
    expect(a.datasourceUid).toBe("prom-uid");
    expect(a.model.expr).toBe("sum by (consumergroup, topic) (kafka_consumergroup_lag) > 10000");
    expect(a.model.instant).toBe(true);
    expect(b).toMatchObject({ refId: "B", datasourceUid: "__expr__", model: { type: "reduce", expression: "A", reducer: "last" } });
    expect(c).toMatchObject({ refId: "C", datasourceUid: "__expr__", model: { type: "math" } });
    expect(c.model.expression).toContain("$B");
    const rated = compiled([rateGroup])[0]!.body.rules[0]!;
    expect(rated.data[0].model.expr).toContain("[2m]");
  });

  it("fires on every returned series, including a value of 0 (a `below` threshold at its worst)", () => {
    // The condition must not be `$B > 0`: `brokers < 3` returns 0 when every broker is gone.
    const rule = compiled([kafkaGroup])[0]!.body.rules[1]!;
    const expression: string = rule.data[2].model.expression;
    expect(expression).not.toMatch(/\$B\s*>\s*0\b/);
    // Evaluate the math expression the way Grafana would for the values it can see.
    const evaluate = (b: number) => Function("abs", "B", `return (${expression.replace(/\$B/g, "B")}) ? 1 : 0`)(Math.abs, b) as number;
    for (const v of [0, 0.5, -3, 12000, Infinity]) expect(evaluate(v)).toBe(1);
    expect(rule.noDataState).toBe("OK");
    expect(rule.execErrState).toBe("Error");
  });

  it("templates labels as {{ $labels.x }} and $value as Grafana's $values.B.Value", () => {
    const rule = compiled([kafkaGroup])[0]!.body.rules[0]!;
    expect(rule.annotations.description).toBe("Group {{ $labels.consumergroup }} is {{ $values.B.Value | humanize }} messages behind on {{ $labels.topic }}.");
    expect(rule.annotations.summary).toBe("A consumer group falls behind.");
    expect(rule.annotations.runbook_url).toMatch(/#highconsumerlag$/);
    expect(rule.annotations.__dashboardUid__).toBe("kafka");
    expect(rule.annotations.__panelId__).toBe("3");
    expect(rule.labels).toEqual({ component: "kafka", team: "data", severity: "warning" });
    expect(rule.for).toBe("10m");
    expect(rule.keep_firing_for).toBe("5m");
    expect(grafanaValueTemplates("{{ $values.A }} {{ $value }}")).toBe("{{ $values.A }} {{ $values.B.Value }}");
  });

  it("derives stable, valid uids from the alert names", () => {
    const first = compiled([kafkaGroup])[0]!.body.rules.map((r) => r.uid);
    const renamedGroup = compiled([{ ...kafkaGroup, name: "other" }])[0]!.body.rules.map((r) => r.uid);
    expect(renamedGroup).toEqual(first);
    expect(first[0]).toBe(alertRuleUid("HighConsumerLag"));
    expect(first[0]).toMatch(/^high-consumer-lag-[0-9a-f]{8}$/);
    const long = alertRuleUid("A".repeat(20) + "VeryLongAlertNameThatGoesOnAndOn");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^[a-zA-Z0-9\-_]+$/);
    expect(alertRuleUid("HighConsumerLag")).not.toBe(alertRuleUid("HighConsumerLags"));
  });

  it("reports every problem: duplicate names, bad intervals, bad group names", () => {
    const bad: RuleGroupDef[] = [
      { ...kafkaGroup, interval: "15s" },
      { ...kafkaGroup, name: "copy" },
      { ...rateGroup, name: "../escape" },
    ];
    const { problems } = compileGrafanaAlertGroups(bad, options);
    const messages = problems.map((p) => `${p.location.join("/")}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^kafka-test: interval 15s must be a positive multiple of 10s/),
        expect.stringMatching(/^copy\/HighConsumerLag: alert name is also used in group "kafka-test"/),
        expect.stringMatching(/^\.\.\/escape: group name must be/),
      ]),
    );
  });

  it("compiles the platform's own rule groups (alerts/index.ts) without problems", () => {
    const files = compiled(ruleGroups);
    expect(files.length).toBe(ruleGroups.length);
    const uids = files.flatMap((f) => f.body.rules.map((r) => r.uid as string));
    expect(new Set(uids).size).toBe(uids.length);
    for (const f of files) for (const r of f.body.rules) expect(r.annotations.description).not.toMatch(/\$value\b/);
  });

  it("an absent() alert compiles too", () => {
    const g: RuleGroupDef = { name: "absent", rateWindow: "5m", alerts: [alert({ name: "Gone", expr: absent(m.kafka_brokers), for: "5m", severity: "critical", summary: "Gone.", description: () => "gone", panel })] };
    expect(compiled([g])[0]!.body.rules[0]!.data[0].model.expr).toBe("absent(kafka_brokers)");
  });
});

describe("push --alerts against the double", () => {
  it("creates the rule groups with X-Disable-Provenance, then leaves them alone", async () => {
    const double = await new GrafanaDouble().start();
    try {
      const spec = generateSpec(1, [...FOLDERS, { uid: "carbon-alerts", title: "Alerts", parentUid: "carbon" }]);
      spec.alertGroups = compileGrafanaAlertGroups([kafkaGroup, rateGroup], options).files.map((f) => {
        const body = JSON.parse(f.content) as Record<string, unknown>;
        return { name: body.title as string, folderUid: "carbon-alerts", body };
      });
      const outputs = await loadOutputs(await writeOutDir(spec));
      const client: GrafanaClient = clientFor(double);

      const first = await push(client, outputs, { message: "m", alerts: true });
      expect(first.ok).toBe(true);
      expect(first.items.filter((i) => i.kind === "alert-rule-group").map((i) => i.action)).toEqual(["create", "create"]);
      const stored = double.ruleGroups.get("carbon-alerts/kafka-test") as { rules: Rule[] };
      expect(stored.rules.map((r) => r.provenance)).toEqual(["", ""]);
      expect(stored.rules[0]!.uid).toBe(alertRuleUid("HighConsumerLag"));

      const puts = () => double.count("PUT", "/api/v1/provisioning");
      const before = puts();
      const second = await push(client, outputs, { message: "m", alerts: true });
      expect(second.items.filter((i) => i.kind === "alert-rule-group").map((i) => i.action)).toEqual(["unchanged", "unchanged"]);
      expect(puts()).toBe(before);

      // Without --alerts the groups are not touched at all.
      const provisioningRequests = () => double.log.filter((r) => r.path.startsWith("/api/v1/provisioning")).length;
      const seen = provisioningRequests();
      await push(client, outputs, { message: "m" });
      expect(provisioningRequests()).toBe(seen);
    } finally {
      await double.stop();
    }
  });
});
