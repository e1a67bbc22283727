// The Grafana resource manifests (out/resources), the grafana-operator resources (out/operator),
// output selection and Grafana version targeting, checked from the files the build writes.

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { BuildConfig, OutputSelection } from "../../src/model/config";
import { generateOutputs, type BuildInput } from "../../src/pipeline/generate";
import { platformInput } from "../../scripts/platform";
import { BuildError } from "../../src/model/output";
import { folderChain } from "../../src/kit/dashboard";
import { validateOperatorObject } from "../../src/validate/operator";
import { PANEL_OPTION_SINCE } from "../../src/validate/grafana-version";

const config = platformInput.config;
const withConfig = (changes: Partial<BuildConfig>): BuildInput => ({ ...platformInput, config: { ...config, ...changes } });
const withOutputs = (changes: Partial<Omit<OutputSelection, "dashboardJson">>): BuildInput => withConfig({ outputs: { ...config.outputs, ...changes } });
const filesOf = (input: BuildInput) => new Map(generateOutputs(input).files.map((f) => [f.path, f.content]));
const files = filesOf(platformInput);
const paths = [...files.keys()];
const text = (path: string): string => {
  const content = files.get(path);
  if (content === undefined) throw new Error(`build did not generate ${path}`);
  return content;
};
const dashboardFile = (uid: string): unknown => JSON.parse(text(`dashboards/${uid}.json`));

describe("out/resources: Dashboard and Folder manifests for the resource API, gcx and Git Sync", () => {
  const manifests = paths.filter((p) => p.startsWith("resources/")).map((path) => ({ path, object: JSON.parse(text(path)) }));

  it("every file is one object with apiVersion, kind, metadata.name and spec, no namespace", () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const { path, object } of manifests) {
      expect(Object.keys(object), path).toEqual(["apiVersion", "kind", "metadata", "spec"]);
      expect(object.metadata.namespace, path).toBeUndefined();
      // The resource API's name rule (pkg/apimachinery/validation) and the legacy uid rule.
      expect(object.metadata.name, path).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    }
  });

  it("each dashboard parses back to the dashboard JSON, named by its uid, in the directory of its folder chain", () => {
    for (const def of platformInput.dashboards) {
      const dir = folderChain(def.folder).map((f) => f.title).join("/");
      const dashboard = JSON.parse(text(`resources/${dir}/${def.uid}.json`));
      expect(dashboard.apiVersion).toBe(`dashboard.grafana.app/${config.resourceApiVersion}`);
      expect(dashboard.kind).toBe("Dashboard");
      expect(dashboard.metadata).toEqual({ name: def.uid, annotations: { "grafana.app/folder": def.folder.uid } });
      expect(dashboard.spec).toEqual(dashboardFile(def.uid));
    }
    expect(manifests.filter((m) => m.object.kind === "Dashboard")).toHaveLength(platformInput.dashboards.length);
  });

  it("every directory holds its own Folder in _folder.json, the parent in the annotation, parents' directories above", () => {
    const folderFiles = manifests.filter((m) => m.path.endsWith("/_folder.json"));
    const byUid = new Map(folderFiles.map((m) => [m.object.metadata.name, m]));
    for (const { path, object } of folderFiles) {
      expect(object.apiVersion).toBe(`folder.grafana.app/${config.resourceApiVersion}`);
      expect(object.kind).toBe("Folder");
      const dir = path.slice("resources/".length, -"/_folder.json".length);
      expect(dir.split("/").at(-1)).toBe(object.spec.title);
      const parentUid = object.metadata.annotations?.["grafana.app/folder"];
      const parentDir = dir.split("/").slice(0, -1).join("/");
      if (parentUid === undefined) expect(parentDir).toBe("");
      else expect(byUid.get(parentUid)?.path).toBe(`resources/${parentDir}/_folder.json`);
    }
    // Every dashboard's directory has its folder file, so Git Sync keeps stable folder uids.
    for (const { path, object } of manifests.filter((m) => m.object.kind === "Dashboard")) {
      const dir = path.slice(0, path.lastIndexOf("/"));
      expect(JSON.parse(text(`${dir}/_folder.json`)).metadata.name).toBe(object.metadata.annotations["grafana.app/folder"]);
    }
  });

  it("the API version comes from build.config.ts", () => {
    const v1 = filesOf(withConfig({ resourceApiVersion: "v1", oldestGrafanaVersion: "13.0.0" }));
    const folder = JSON.parse(v1.get("resources/254Carbon/_folder.json")!);
    expect(folder.apiVersion).toBe("folder.grafana.app/v1");
  });

  it("a folder title that cannot be a directory fails the build", () => {
    const bad = { ...platformInput.dashboards[0]!, folder: { uid: "slashed", title: "A/B" } };
    expect(() => generateOutputs({ ...platformInput, dashboards: [bad] })).toThrow(/folder slashed: title "A\/B" cannot be a directory name/);
  });
});

describe("out/operator: grafana-operator resources", () => {
  const objects = paths
    .filter((p) => p.startsWith("operator/") && p !== "operator/kustomization.yaml")
    .map((path) => ({ path, object: parse(text(path)) }));
  const ofKind = (kind: string) => objects.filter((o) => o.object.kind === kind).map((o) => o.object);

  it("every object passes the operator's CRD schema and carries instanceSelector and resyncPeriod from build.config.ts", () => {
    for (const { path, object } of objects) {
      expect(validateOperatorObject(path, object), path).toEqual([]);
      expect(object.metadata.namespace).toBe(config.namespace);
      expect(object.spec.instanceSelector).toEqual(config.operator.instanceSelector);
      expect(object.spec.resyncPeriod).toBe(config.operator.resyncPeriod);
    }
  });

  it("the validator refuses what the CRD schema refuses, and accepts Go durations", () => {
    const group = ofKind("GrafanaAlertRuleGroup")[0];
    const rule = group.spec.rules[0];
    const broken = { ...group, spec: { ...group.spec, interval: "1 minute", rules: [{ ...rule, noDataState: "Maybe" }] } };
    const messages = validateOperatorObject("x.yaml", broken).map((p) => p.message);
    expect(messages.join("\n")).toMatch(/\/spec\/interval/);
    expect(messages.join("\n")).toMatch(/\/spec\/rules\/0\/noDataState/);
    const { instanceSelector: _dropped, ...withoutSelector } = ofKind("GrafanaFolder")[0].spec;
    expect(validateOperatorObject("f.yaml", { ...ofKind("GrafanaFolder")[0], spec: withoutSelector }).map((p) => p.message).join()).toMatch(/instanceSelector/);
    expect(validateOperatorObject("g.yaml", { ...group, spec: { ...group.spec, interval: "90s" } })).toEqual([]);
    expect(validateOperatorObject("n.yaml", { ...group, metadata: { name: "Upper_Case" } })[0]?.message).toMatch(/not a Kubernetes object name/);
  });

  it("folders chain by parentFolderRef, dashboards and rule groups name an emitted folder", () => {
    const folders = new Map(ofKind("GrafanaFolder").map((f) => [f.metadata.name, f]));
    for (const folder of folders.values()) if (folder.spec.parentFolderRef) expect(folders.has(folder.spec.parentFolderRef)).toBe(true);
    for (const dashboard of ofKind("GrafanaDashboard")) expect(folders.get(dashboard.spec.folderRef)?.spec.uid).toBeDefined();
    for (const group of ofKind("GrafanaAlertRuleGroup")) expect(folders.get(group.spec.folderRef)?.spec.uid).toBe(platformInput.alertFolder.uid);
  });

  it("each GrafanaDashboard holds the same dashboard inline, under its uid and folder", () => {
    for (const def of platformInput.dashboards) {
      const cr = ofKind("GrafanaDashboard").find((d) => d.spec.uid === def.uid);
      expect(JSON.parse(cr.spec.json)).toEqual(dashboardFile(def.uid));
      expect(ofKind("GrafanaFolder").find((f) => f.metadata.name === cr.spec.folderRef).spec.uid).toBe(def.folder.uid);
    }
  });

  it("configMapRef mode puts the JSON in a ConfigMap the GrafanaDashboard references", () => {
    const refFiles = filesOf(withConfig({ operator: { ...config.operator, dashboardSource: "configMapRef" } }));
    const dashboard = parse(refFiles.get("operator/dashboard-events.yaml")!);
    expect(dashboard.spec.json).toBeUndefined();
    const configMap = [...refFiles.entries()].filter(([p]) => p.startsWith("operator/")).map(([, c]) => parse(c)).find((o) => o.kind === "ConfigMap" && o.metadata.name === dashboard.spec.configMapRef.name);
    expect(JSON.parse(configMap.data[dashboard.spec.configMapRef.key])).toEqual(dashboardFile("events"));
    expect(configMap.metadata.labels).not.toHaveProperty(config.dashboardLabel.name); // the sidecar must not load it too
    expect(validateOperatorObject("operator/dashboard-events.yaml", dashboard)).toEqual([]);
  });

  it("rule groups are the Grafana-managed groups of out/grafana/alert-rules, rule for rule", () => {
    const groups = ofKind("GrafanaAlertRuleGroup");
    expect(groups.map((g) => g.spec.name).sort()).toEqual(platformInput.ruleGroups.map((g) => g.name).sort());
    for (const group of groups) {
      const provisioned = JSON.parse(text(`grafana/alert-rules/${group.spec.name}.json`));
      expect(group.spec.rules).toHaveLength(provisioned.rules.length);
      provisioned.rules.forEach((rule: Record<string, unknown>, i: number) => {
        const { folderUID: _f, ruleGroup: _g, keep_firing_for: keep, ...rest } = rule;
        expect(group.spec.rules[i]).toEqual(keep === undefined ? rest : { ...rest, keepFiringFor: keep });
      });
      expect(group.spec.interval).toMatch(/^\d+[smh]$/);
    }
  });

  it("the kustomization lists exactly the operator files", () => {
    expect(parse(text("operator/kustomization.yaml")).resources).toEqual(objects.map((o) => o.path.slice("operator/".length)).sort());
  });
});

describe("outputs chosen in build.config.ts", () => {
  it("with everything optional off, only the dashboard JSON and the manifest push reads are written", () => {
    const only = filesOf(withOutputs({ sidecar: false, prometheusRule: false, ruleFiles: false, grafanaAlerts: false, resources: false, operator: false }));
    expect([...only.keys()].sort()).toEqual(["dashboards/api-gateway.json", "dashboards/events.json", "dashboards/service-mesh.json", "manifest.json"]);
    expect(JSON.parse(only.get("manifest.json")!).alertRuleGroups).toEqual([]);
  });

  it("each switch removes exactly its files, and the k8s kustomization follows", () => {
    // Grafana-managed alerts also leave the operator output: its rule groups and their folder.
    const prefixes: Record<keyof Omit<OutputSelection, "dashboardJson">, string[]> = {
      sidecar: ["k8s/dashboard-"],
      prometheusRule: ["k8s/prometheusrule-", "k8s/alertmanagerconfig-"],
      ruleFiles: ["prometheus/", "alertmanager/"],
      grafanaAlerts: ["grafana/alert-rules/", "operator/alertrulegroup-", "operator/folder-254carbon-alerts.yaml"],
      resources: ["resources/"],
      operator: ["operator/"],
    };
    for (const [output, owned] of Object.entries(prefixes)) {
      const without = filesOf(withOutputs({ [output]: false }));
      const removed = paths.filter((p) => !without.has(p));
      expect(removed.length, output).toBeGreaterThan(0);
      for (const path of removed) expect(path === "k8s/kustomization.yaml" || owned.some((prefix) => path.startsWith(prefix)), `${output}: ${path}`).toBe(true);
      const kustomization = without.get("k8s/kustomization.yaml");
      if (kustomization) for (const resource of parse(kustomization).resources as string[]) expect(without.has(`k8s/${resource}`)).toBe(true);
    }
  });
});

describe("Grafana version targeting", () => {
  const failure = (input: BuildInput): string => {
    try {
      generateOutputs(input);
    } catch (error) {
      if (error instanceof BuildError) return error.message;
      throw error;
    }
    return "";
  };

  it("the default target builds, and is exactly the oldest version the schemaVersion allows", () => {
    expect(failure(platformInput)).toBe("");
    expect(failure(withConfig({ oldestGrafanaVersion: "12.1.9" }))).toMatch(/service-mesh: schemaVersion 42 needs Grafana 12\.2\.0; oldestGrafanaVersion is 12\.1\.9/);
  });

  it("options the kit knows to be newer than the target are refused, naming dashboard and panel", () => {
    const message = failure(withConfig({ oldestGrafanaVersion: "10.3.0", outputs: { ...config.outputs, resources: false } }));
    expect(message).toMatch(/api-gateway › [^:]+: bargauge option sizing needs Grafana 10\.4\.0; oldestGrafanaVersion is 10\.3\.0/);
    expect(message).toMatch(/stat option percentChangeColorMode needs Grafana 11\.1\.0/);
    // Every row of the table is something the kit really emits, or it would guard nothing.
    const emitted = platformInput.dashboards.flatMap((d) => (dashboardFile(d.uid) as { panels: { type: string; options?: object }[] }).panels);
    for (const row of PANEL_OPTION_SINCE) expect(emitted.some((p) => p.type === row.panel && p.options && row.option in p.options), `${row.panel}.${row.option}`).toBe(true);
  });

  it("the resource API version must be served by the target", () => {
    expect(failure(withConfig({ resourceApiVersion: "v1" }))).toMatch(/resource API v1 \(out\/resources\) needs Grafana 13\.0\.0; oldestGrafanaVersion is 12\.2\.0/);
    expect(failure(withConfig({ oldestGrafanaVersion: "12.2" }))).toMatch(/build\.config\.ts › oldestGrafanaVersion: "12\.2" is not a version like 12\.2\.0/);
  });
});
