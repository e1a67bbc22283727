// Incident scenarios under promtool: each must be detected by the alerts it names within its
// time-to-detect target, nothing else may fire, a healthy hour fires nothing (also as deployed,
// where absent sources get no guard), and every alert catches at least one incident. All of it
// again in cluster mode: two clusters on one global store, the incident in one of them.

import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployment } from "../../build.config";
import { ruleGroups } from "../../alerts/index";
import { allMetrics, type SourceId } from "../../catalogue/metrics";
import { dashboardUrlFor } from "../../src/kit/alert";
import { seriesNames } from "../../src/model/metric";
import { incidentsDoc } from "./doc";
import { healthy, platformSeriesOf } from "./platform";
import { deployedFor, firedAlerts, firingAtEnd, runScenarios, timeToDetect, type ClusterMode, type Timeline } from "./run";
import { inhibitions } from "../../alerts/index";
import { compileInhibitions, INHIBIT_RULES_PATH } from "../../src/compile/inhibitions";
import { inhibitionsForDeployment } from "../../src/kit/inhibition";
import { amtoolCheckConfig, getAlerts, postAlerts, startAlertmanager } from "../support/alertmanager";
import { deployedBaseline, healthyBaseline, scenarios, type Scenario } from "./scenarios";

const absentSources = (Object.entries(deployment.sources) as [SourceId, boolean][]).filter(([, on]) => !on).map(([id]) => id);
const asDeployed = deployedBaseline(absentSources);
const all: Scenario[] = [...scenarios, healthyBaseline, asDeployed];
/** Not "cluster": the name comes from the build's clusterLabel. */
const CLUSTER_MODE: ClusterMode = { label: "k8s_cluster", incidentIn: "a", healthyIn: ["b"] };
let timelines: Map<string, Timeline>;
let clusterTimelines: Map<string, Timeline>;

beforeAll(async () => {
  [timelines, clusterTimelines] = await Promise.all([runScenarios(all), runScenarios(all, CLUSTER_MODE)]);
}, 600_000);

const timelineIn = (runs: ReadonlyMap<string, Timeline>, s: Scenario) => {
  const t = runs.get(s.id);
  if (!t) throw new Error(`scenario ${s.id} did not run`);
  return t;
};
const timeline = (s: Scenario) => timelineIn(timelines, s);
const clustered = (s: Scenario) => timelineIn(clusterTimelines, s);

describe.each(scenarios.map((s) => [s.id, s] as const))("incident %s", (_id, s) => {
  it("fires nothing during the healthy traffic before the onset", () => {
    const early = [...firedAlerts(timeline(s))].filter(([, f]) => f.firstAt < s.onsetMinutes * 60).map(([name]) => name);
    expect(early).toEqual([]);
  });

  it.each(s.fires.map((d) => [d.alert.name, d] as const))("detects it with %s within its target", (name, d) => {
    const ttd = timeToDetect(timeline(s), name, d.labels);
    expect(ttd, `${name} never fired with ${JSON.stringify(d.labels ?? {})}`).toBeDefined();
    expect(ttd! / 60).toBeLessThanOrEqual(d.withinMinutes);
    if (d.description) {
      const first = [...timeline(s).firing].sort(([a], [b]) => a - b).flatMap(([, alerts]) => alerts).find((a) => a.alertname === name);
      expect(first?.annotations.description).toMatch(d.description);
    }
  });

  it("keeps every other alert silent", () => {
    const allowed = new Set([...s.fires, ...(s.consequences ?? [])].map((x) => x.alert.name));
    expect([...firedAlerts(timeline(s)).keys()].filter((name) => !allowed.has(name))).toEqual([]);
  });
});

describe("every alert that fired", () => {
  const defs = new Map(ruleGroups.flatMap((g) => g.alerts.map((a) => [a.name, { def: a, group: g }] as const)));
  it("carries its definition's severity, group label and annotations, fully rendered", () => {
    const problems: string[] = [];
    for (const t of [...timelines.values(), ...clusterTimelines.values()])
      for (const { alert } of firedAlerts(t).values()) {
        const entry = defs.get(alert.alertname);
        const where = `${t.scenario.id} › ${alert.alertname}`;
        if (!entry) {
          problems.push(`${where}: not defined`);
          continue;
        }
        const { def, group } = entry;
        if (alert.labels.severity !== def.severity) problems.push(`${where}: severity ${alert.labels.severity}`);
        for (const [k, v] of Object.entries(group.labels ?? {})) if (alert.labels[k] !== v) problems.push(`${where}: label ${k}=${alert.labels[k]}`);
        if (alert.annotations.summary !== def.summary) problems.push(`${where}: summary ${alert.annotations.summary}`);
        if (alert.annotations.runbook_url !== def.runbookUrl) problems.push(`${where}: runbook_url ${alert.annotations.runbook_url}`);
        if (alert.annotations.dashboard_url !== dashboardUrlFor(def.panel)) problems.push(`${where}: dashboard_url ${alert.annotations.dashboard_url}`);
        const description = alert.annotations.description ?? "";
        if (!description || /\{\{|<no value>|NaN|\+Inf/.test(description)) problems.push(`${where}: description "${description}"`);
      }
    expect(problems).toEqual([]);
  });
});

describe("healthy baseline", () => {
  it("one hour of normal traffic on every metric fires nothing", () => {
    expect([...firedAlerts(timeline(healthyBaseline)).keys()]).toEqual([]);
    expect(timeline(healthyBaseline).alertNames.length).toBe(ruleGroups.flatMap((g) => g.alerts).length);
  });

  it("as deployed: sources declared absent send nothing, get no guard, and nothing fires", () => {
    const t = timeline(asDeployed);
    expect([...firedAlerts(t).keys()]).toEqual([]);
    const guardsOfAbsent = ruleGroups.flatMap((g) => g.alerts).filter((a) => a.guards !== undefined && absentSources.includes(a.guards as SourceId));
    expect(guardsOfAbsent.length).toBeGreaterThan(0);
    for (const guard of guardsOfAbsent) expect(t.alertNames).not.toContain(guard.name);
  });

  it("has a series for every series name of the catalogue", () => {
    const present = new Set(platformSeriesOf(healthy(5)).map((s) => s.name));
    expect(allMetrics.flatMap(seriesNames).filter((name) => !present.has(name))).toEqual([]);
  });
});

describe(`cluster mode (${CLUSTER_MODE.label}): the incident in cluster ${CLUSTER_MODE.incidentIn}, ${CLUSTER_MODE.healthyIn.join(", ")} healthy`, () => {
  const { label, incidentIn } = CLUSTER_MODE;
  const everyFiring = (t: Timeline) => [...t.firing.values()].flat();
  /** What fired when, with every label but the cluster's: comparable across the two runs. */
  const withoutCluster = (t: Timeline) =>
    [...t.firing]
      .sort(([a], [b]) => a - b)
      .map(([time, alerts]) => [time, alerts.map(({ alertname, labels: { [label]: _, ...rest } }) => `${alertname}${JSON.stringify(Object.entries(rest).sort())}`).sort()] as const);

  it.each(scenarios.flatMap((s) => s.fires.map((d) => [s.id, d.alert.name, s, d] as const)))(`%s: %s fires in cluster ${incidentIn} within its target`, (_id, name, s, d) => {
    const ttd = timeToDetect(clustered(s), name, { ...d.labels, [label]: incidentIn });
    expect(ttd, `${name} never fired with ${label}=${incidentIn}`).toBeDefined();
    expect(ttd! / 60).toBeLessThanOrEqual(d.withinMinutes);
  });

  it("every alert that fires names the incident's cluster: none in the healthy one, none without the label", () => {
    const elsewhere = (s: Scenario) => everyFiring(clustered(s)).filter((a) => a.labels[label] !== incidentIn);
    expect([...new Set(scenarios.flatMap((s) => elsewhere(s).map((a) => `${s.id}: ${a.alertname} ${JSON.stringify(a.labels)}`)))]).toEqual([]);
    expect(scenarios.filter((s) => s.fires.length).every((s) => everyFiring(clustered(s)).length > 0)).toBe(true);
  });

  it(`in cluster ${incidentIn}, exactly what fires in one cluster, at the same evaluations, with the same labels`, () => {
    for (const s of scenarios) expect(withoutCluster(clustered(s)), s.id).toEqual(withoutCluster(timeline(s)));
  });

  it("the healthy hour, also as deployed, fires nothing in either cluster", () => {
    for (const s of [healthyBaseline, asDeployed]) expect(everyFiring(clustered(s)), s.id).toEqual([]);
  });
});

describe("coverage", () => {
  it("every alert must catch at least one incident", () => {
    const detected = new Set(scenarios.flatMap((s) => s.fires.map((d) => d.alert.name)));
    expect(ruleGroups.flatMap((g) => g.alerts.map((a) => a.name)).filter((name) => !detected.has(name))).toEqual([]);
  });

  it("docs/incidents.md is generated from the scenarios (run `npm run docs` when this fails)", () => {
    expect(readFileSync(new URL("../../docs/incidents.md", import.meta.url), "utf8")).toBe(incidentsDoc(scenarios, timelines));
  });
});

// The inhibitions as the scenarios' deployment (everything deployed) compiles them, in an
// alertmanager.yml with one do-nothing receiver: what a real Alertmanager loads.
const compiledInhibitions = (clusterLabel?: string) =>
  compileInhibitions(inhibitionsForDeployment(inhibitions, deployedFor()), { namespace: "monitoring", labels: {}, clusterLabel });
const fragment = compiledInhibitions();
const alertmanagerYml = (compiled = fragment) => {
  const file = compiled.files.find((f) => f.path === INHIBIT_RULES_PATH);
  if (!file) throw new Error(`no ${INHIBIT_RULES_PATH} compiled: ${JSON.stringify(compiled.problems)}`);
  return stringify({ route: { receiver: "null" }, receivers: [{ name: "null" }], ...(parse(file.content) as object) });
};

/** An alert by its name, and its cluster in cluster mode. */
const alertKey = (labels: Readonly<Record<string, string | undefined>>) => [labels.alertname ?? "?", labels[CLUSTER_MODE.label]].filter((x) => x !== undefined).join(" in ");

/**
 * Posts `firing` to the Alertmanager at `url` and reads back which alert inhibits which (by
 * alertKey), until that settles on `expected` or 5 s pass; then resolves them all and waits until
 * none is active, ready for the next incident.
 */
async function inhibitionsOf(url: string, firing: readonly { readonly labels: Readonly<Record<string, string>> }[], expected: ReadonlyMap<string, string | null>) {
  const startsAt = new Date().toISOString();
  const window = (endsAt: number) => firing.map((a) => ({ labels: a.labels, startsAt, endsAt: new Date(endsAt).toISOString() }));
  const sorted = (m: ReadonlyMap<string, string | null>) => JSON.stringify([...m].sort());
  await postAlerts(url, window(Date.now() + 3_600_000));
  // The inhibitor learns of new sources asynchronously: read until the answer settles.
  let actual = new Map<string, string | null>();
  for (let attempt = 0; attempt < 50; attempt++) {
    const alerts = await getAlerts(url);
    const byFingerprint = new Map(alerts.map((a) => [a.fingerprint, alertKey(a.labels)]));
    actual = new Map(alerts.map((a) => [alertKey(a.labels), a.status.inhibitedBy.map((f) => byFingerprint.get(f) ?? f).join(",") || null]));
    if (alerts.length === firing.length && sorted(actual) === sorted(expected)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 5));
  await postAlerts(url, window(Date.now()));
  for (let attempt = 0; attempt < 50 && (await getAlerts(url)).length; attempt++) await new Promise((r) => setTimeout(r, 100));
  const left = await getAlerts(url);
  if (left.length) throw new Error(`still active after resolving: ${left.map((a) => alertKey(a.labels)).join(", ")}`);
  return actual;
}

describe("Alertmanager inhibitions", () => {
  let am: Awaited<ReturnType<typeof startAlertmanager>> | undefined;
  afterAll(async () => am?.stop());

  it("compile without problems, and amtool check-config accepts them", () => {
    expect(fragment.problems).toEqual([]);
    const run = amtoolCheckConfig(alertmanagerYml());
    expect(run.output).toMatch(/SUCCESS/);
    expect(run.output).toContain(` - ${inhibitionsForDeployment(inhibitions, deployedFor()).length} inhibit rules`);
    expect(run.status, run.output).toBe(0);
  });

  /** What each scenario says about the alerts firing at its end: inhibited by whom, or not at all. */
  const intended = (s: Scenario) => new Map([...s.fires, ...(s.consequences ?? [])].map((x) => [x.alert.name, x.inhibitedBy?.name ?? null]));

  it("a real Alertmanager inhibits exactly what each incident intends, from its firing alerts", async () => {
    am = await startAlertmanager(alertmanagerYml());
    let checked = 0;
    for (const s of [...scenarios, healthyBaseline]) {
      const firing = firingAtEnd(timeline(s));
      const expected = new Map(firing.map((a) => [a.alertname, intended(s).get(a.alertname) ?? null]));
      expect([...(await inhibitionsOf(am.url, firing, expected))].sort(), s.id).toEqual([...expected].sort());
      checked++;
    }
    expect(checked).toBe(scenarios.length + 1);
  }, 120_000);

  it("in cluster mode, a cause inhibits its consequences in its own cluster, never the same alerts in another", async () => {
    const compiled = compiledInhibitions(CLUSTER_MODE.label);
    expect(compiled.problems).toEqual([]);
    const clusterAm = await startAlertmanager(alertmanagerYml(compiled));
    const [other] = CLUSTER_MODE.healthyIn;
    try {
      let elsewhere = 0;
      for (const s of scenarios) {
        const inIncident = firingAtEnd(clustered(s));
        // The same consequences firing in another cluster for causes of their own there.
        const inOther = inIncident.filter((a) => intended(s).get(a.alertname)).map((a) => ({ labels: { ...a.labels, [CLUSTER_MODE.label]: other! } }));
        const cause = (a: (typeof inIncident)[number]) => intended(s).get(a.alertname);
        const expected = new Map([
          ...inIncident.map((a) => [alertKey(a.labels), cause(a) ? alertKey({ alertname: cause(a)!, [CLUSTER_MODE.label]: CLUSTER_MODE.incidentIn }) : null] as const),
          ...inOther.map((a) => [alertKey(a.labels), null] as const),
        ]);
        expect([...(await inhibitionsOf(clusterAm.url, [...inIncident, ...inOther], expected))].sort(), s.id).toEqual([...expected].sort());
        elsewhere += inOther.length;
      }
      expect(elsewhere).toBeGreaterThan(0);
    } finally {
      await clusterAm.stop();
    }
  }, 120_000);

  it("without the cluster-down inhibition, the same Alertmanager lets the consequences of a Kafka outage through", async () => {
    const kept = inhibitionsForDeployment(inhibitions, deployedFor()).filter((d) => d.source.name !== "KafkaClusterDown");
    const file = compileInhibitions(kept, { namespace: "monitoring", labels: {} }).files.find((f) => f.path === INHIBIT_RULES_PATH)!;
    const broken = await startAlertmanager(stringify({ route: { receiver: "null" }, receivers: [{ name: "null" }], ...(parse(file.content) as object) }));
    try {
      const outage = scenarios.find((s) => s.id === "kafka-cluster-down")!;
      const startsAt = new Date().toISOString();
      const endsAt = new Date(Date.now() + 3_600_000).toISOString();
      await postAlerts(broken.url, firingAtEnd(timeline(outage)).map((a) => ({ labels: a.labels, startsAt, endsAt })));
      await new Promise((r) => setTimeout(r, 500));
      const brokerDown = (await getAlerts(broken.url)).find((a) => a.labels.alertname === "KafkaBrokerDown");
      expect(brokerDown?.status.inhibitedBy).toEqual([]);
    } finally {
      await broken.stop();
    }
  }, 60_000);
});
