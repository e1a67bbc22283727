// Issue 11: a fault-injecting Grafana (login pages, lost replies, saves that all fail, people
// editing between our reads and writes) must never cost a dashboard or yield a false success.

import { afterEach, describe, expect, it } from "vitest";
import { loadOutputs } from "../../src/grafana/manifest";
import { MANAGED_TAG } from "../../src/grafana/plan";
import { countActions, push, type ApiChoice } from "../../src/grafana/push";
import { ALL_PERMISSIONS, GrafanaDouble, type DoubleOptions, type FaultKind } from "./grafana-double";
import { FOLDERS, generateSpec, writeOutDir, type OutSpec } from "./fixtures";
import { clientFor } from "./helpers";

let double: GrafanaDouble;
afterEach(async () => {
  await double?.stop();
});

const QUICK = { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5, totalTimeMs: 2000 } };

/** A request the faults below aim at: its method and path, in each API. */
type Route = { readonly methods: readonly string[]; readonly path: RegExp };
const route = (methods: string | readonly string[], path: RegExp): Route => ({ methods: typeof methods === "string" ? [methods] : methods, path });

/**
 * Every test runs against a Grafana without the resource API (legacy) and one with it (resources):
 * the same faults, aimed at the requests that do the same job in each.
 */
const MODES = [
  {
    api: "legacy",
    options: {},
    saveDashboard: route("POST", /^\/api\/dashboards\/db$/),
    readDashboard: route("GET", /^\/api\/dashboards\/uid\//),
    deleteDashboard: route("DELETE", /^\/api\/dashboards\/uid\//),
    renameFolder: route("PUT", /^\/api\/folders\//),
    createFolder: route("POST", /^\/api\/folders$/),
    listManaged: route("GET", /^\/api\/search/),
  },
  {
    api: "resources",
    options: { resourceApi: { versions: ["v1beta1"] } },
    saveDashboard: route(["POST", "PUT"], /^\/apis\/dashboard\.grafana\.app\/v1beta1\/namespaces\/default\/dashboards(\/|$)/),
    readDashboard: route("GET", /^\/apis\/dashboard\.grafana\.app\/v1beta1\/namespaces\/default\/dashboards\//),
    deleteDashboard: route("DELETE", /^\/apis\/dashboard\.grafana\.app\/v1beta1\/namespaces\/default\/dashboards\//),
    renameFolder: route("PUT", /^\/apis\/folder\.grafana\.app\/v1beta1\/namespaces\/default\/folders\//),
    createFolder: route("POST", /^\/apis\/folder\.grafana\.app\/v1beta1\/namespaces\/default\/folders$/),
    listManaged: route("GET", /^\/apis\/dashboard\.grafana\.app\/v1beta1\/namespaces\/default\/dashboards\?/),
  },
] as const satisfies readonly ({ api: ApiChoice; options: DoubleOptions } & Record<string, unknown>)[];
type Mode = (typeof MODES)[number];

const hits = (r: Route, method: string, path: string) => r.methods.includes(method) && r.path.test(path);
const only = (r: Route, kind: FaultKind) => (m: string, p: string) => (hits(r, m, p) ? kind : undefined);
const requests = (r: Route) => double.log.filter((l) => hits(r, l.method, l.path) && l.status !== "dropped" && l.status !== "hung");

/** A first push of `spec`, so the double holds managed dashboards as after an earlier run. */
async function pushed(spec: OutSpec, api: ApiChoice): Promise<void> {
  const first = await push(clientFor(double), await loadOutputs(await writeOutDir(spec)), { message: "earlier run", api });
  expect(first.ok).toBe(true);
}

/** The same dashboards under new uids: every old one becomes stale. */
function renamed(spec: OutSpec): OutSpec {
  return {
    ...spec,
    dashboards: spec.dashboards.map((d) => ({ ...d, uid: `new-${d.uid}`, model: { ...d.model, uid: `new-${d.uid}` } })),
  };
}

describe.each(MODES)("prune only after every save succeeded (item 1, $api API)", (mode: Mode) => {
  const { api } = mode;
  it.each([
    ["503 on every save", (d: GrafanaDouble) => (d.options.script = only(mode.saveDashboard, "503"))],
    ["403 on every save", (d: GrafanaDouble) => (d.options.permissions = new Set([...ALL_PERMISSIONS].filter((p) => p !== "dashboards:create")))],
  ])("%s during a --prune run: the server keeps every dashboard", async (_name, breakSaves) => {
    double = await new GrafanaDouble(mode.options).start();
    const spec = generateSpec(4);
    await pushed(spec, api);
    breakSaves(double);

    const result = await push(clientFor(double, QUICK), await loadOutputs(await writeOutDir(renamed(spec))), { message: "m", prune: true, api });

    expect(result.ok).toBe(false);
    expect(countActions(result.items, "dashboard").failed).toBe(4);
    expect(requests(mode.deleteDashboard)).toEqual([]);
    expect([...double.dashboards.keys()].sort()).toEqual(spec.dashboards.map((d) => d.uid).sort());
    expect(result.warnings.join("\n")).toMatch(/prune skipped: 4 object\(s\) of this run were not pushed, so nothing was deleted/);
  });

  it("when every save succeeded, prune deletes the stale ones", async () => {
    double = await new GrafanaDouble(mode.options).start();
    const spec = generateSpec(3);
    await pushed(spec, api);
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(renamed(spec))), { message: "m", prune: true, api });
    expect(result.ok).toBe(true);
    expect(countActions(result.items, "dashboard")).toMatchObject({ create: 3, delete: 3 });
    expect([...double.dashboards.keys()].every((uid) => uid.startsWith("new-"))).toBe(true);
  });
});

describe.each(MODES)("re-read before deleting (item 2, $api API)", (mode: Mode) => {
  const { api } = mode;
  it("a dashboard whose managed tag a person removed after the search is not deleted", async () => {
    double = await new GrafanaDouble(mode.options).start();
    const spec = generateSpec(3);
    await pushed(spec, api);
    // Between our search and our delete, someone takes dash-0001 over by removing the tag.
    double.options.afterResponse = (entry, d) => {
      if (hits(mode.listManaged, entry.method, entry.path)) {
        const stored = d.dashboards.get("dash-0001")!;
        stored.dashboard.tags = (stored.dashboard.tags as string[]).filter((t) => t !== MANAGED_TAG);
        stored.version++;
        stored.resourceVersion++;
      }
    };
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir({ ...spec, dashboards: [] })), { message: "m", prune: true, api });

    expect(double.dashboards.has("dash-0001")).toBe(true);
    expect(double.dashboards.has("dash-0000")).toBe(false);
    expect(double.dashboards.has("dash-0002")).toBe(false);
    const kept = result.items.find((i) => i.uid === "dash-0001");
    expect(kept?.action).toBe("skipped");
    expect(kept?.note).toMatch(/no longer tagged .* not deleted/);
    expect(requests(mode.readDashboard).some((r) => r.path.endsWith("/dash-0001"))).toBe(true);
  });
});

describe.each(MODES)("every answer's shape is checked (item 3, $api API)", (mode: Mode) => {
  const { api } = mode;
  const spec = (): OutSpec => {
    const s = generateSpec(1, [...FOLDERS, { uid: "carbon-alerts", title: "Alerts", parentUid: "carbon" }]);
    s.alertGroups = ["a", "b", "c"].map((name) => ({
      name,
      folderUid: "carbon-alerts",
      body: {
        title: name,
        folderUid: "carbon-alerts",
        interval: 60,
        rules: [{ uid: `rule-${name}`, title: `Rule${name}`, condition: "A", data: [{ refId: "A", model: {} }], noDataState: "OK", execErrState: "Error", folderUID: "carbon-alerts", ruleGroup: name }],
      },
    }));
    return s;
  };

  it("PUT rule-groups answering 200 with a login page: 0 created, each failed with status and snippet", async () => {
    double = await new GrafanaDouble({ ...mode.options, script: only(route("PUT", /^\/api\/v1\/provisioning\//), "login-page") }).start();
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(spec())), { message: "m", alerts: true, api });
    expect(result.ok).toBe(false);
    expect(countActions(result.items, "alert-rule-group")).toMatchObject({ create: 0, failed: 3 });
    expect(double.ruleGroups.size).toBe(0);
    for (const item of result.items.filter((i) => i.kind === "alert-rule-group"))
      expect(item.error).toMatch(/PUT \/api\/v1\/provisioning\/folder\/carbon-alerts\/rule-groups\/[abc] answered 200 but not with .*Body: ".*<title>Sign in<\/title>/);
  });

  it.each([
    ["saving a dashboard answers 200 without what a save returns", "saveDashboard", "empty-200", /(POST|PUT) \/apis?\/dashboard\S* answered 200 but not with .*Body: "\{\}"/],
    ["saving a dashboard answers a login page", "saveDashboard", "login-page", /answered 200 but not with .*Sign in/],
    ["reading a dashboard answers a login page", "readDashboard", "login-page", /GET \/apis?\/dashboard\S*\/dash-0000 answered 200/],
  ] as const)("%s: the dashboard is failed, not created", async (_name, request, kind, message) => {
    double = await new GrafanaDouble({ ...mode.options, script: only(mode[request], kind) }).start();
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(1))), { message: "m", api });
    expect(result.ok).toBe(false);
    const item = result.items.find((i) => i.uid === "dash-0000");
    expect(item?.action).toBe("failed");
    expect(item?.error).toMatch(message);
    expect(double.dashboards.size).toBe(0);
  });

  it("renaming a folder answering a login page is a failure", async () => {
    double = await new GrafanaDouble({ ...mode.options, script: only(mode.renameFolder, "login-page") }).start();
    double.seedFolder({ uid: "carbon", title: "Old title" });
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(1))), { message: "m", api });
    const folder = result.items.find((i) => i.uid === "carbon");
    expect(folder?.action).toBe("failed");
    expect(folder?.error).toMatch(/PUT \/apis?\/folder\S*\/carbon answered 200 but not with/);
    expect(double.folders.get("carbon")?.title).toBe("Old title");
  });

  it("DELETE answering a login page is a failure, and the dashboard is still there", async () => {
    double = await new GrafanaDouble(mode.options).start();
    const spec = generateSpec(2);
    await pushed(spec, api);
    double.options.script = only(mode.deleteDashboard, "login-page");
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir({ ...spec, dashboards: [spec.dashboards[0]!] })), { message: "m", prune: true, api });
    expect(result.ok).toBe(false);
    expect(result.items.find((i) => i.uid === "dash-0001")).toMatchObject({ action: "failed", error: expect.stringMatching(/DELETE \/apis?\/dashboard\S*\/dash-0001 answered 200/) });
    expect(double.dashboards.has("dash-0001")).toBe(true);
  });

  it("a login page on the health check stops the push before any write", async () => {
    double = await new GrafanaDouble({ ...mode.options, script: only(route("GET", /^\/api\/health$/), "login-page") }).start();
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(1))), { message: "m", api });
    expect(result.fatal).toMatch(/health check failed: GET \/api\/health answered 200 but not with/);
    expect(double.log.length).toBe(1);
  });

  it("a proxy's HTML 404 is not taken for \"no such dashboard\"", async () => {
    double = await new GrafanaDouble(mode.options).start();
    await pushed(generateSpec(1), api);
    double.options.script = only(mode.readDashboard, "proxy-404");
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(1))), { message: "m", api });
    expect(result.items.find((i) => i.uid === "dash-0000")).toMatchObject({ action: "failed", error: expect.stringMatching(/answered 404 but not with (Grafana's JSON 404 body|a JSON 404 Status).*nginx/) });
    expect(requests(mode.saveDashboard)).toHaveLength(1); // only the earlier run's
  });
});

describe.each(MODES)("a lost DELETE reply (item 4, $api API)", (mode: Mode) => {
  const { api } = mode;
  it("the retry's 404 means done: exit status ok, dashboard gone", async () => {
    double = await new GrafanaDouble(mode.options).start();
    const spec = generateSpec(2);
    await pushed(spec, api);
    let dropped = false;
    double.options.script = (m) => {
      if (m !== "DELETE" || dropped) return undefined;
      dropped = true;
      return "drop-after";
    };
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir({ ...spec, dashboards: [spec.dashboards[0]!] })), { message: "m", prune: true, api });
    expect(result.ok).toBe(true);
    expect(result.items.find((i) => i.uid === "dash-0001")?.action).toBe("delete");
    expect(double.dashboards.has("dash-0001")).toBe(false);
    expect(double.log.filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual(["dropped", 404]);
  });
});

describe.each(MODES)("folders with the same title and another uid (item 7, $api API)", (mode: Mode) => {
  const { api } = mode;
  it("are never duplicated: push fails that folder and warns with both uids", async () => {
    double = await new GrafanaDouble(mode.options).start();
    double.seedFolder({ uid: "made-by-hand", title: "254Carbon" });
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(2))), { message: "m", api });
    expect(result.ok).toBe(false);
    expect([...double.folders.values()].filter((f) => f.title === "254Carbon").map((f) => f.uid)).toEqual(["made-by-hand"]);
    expect(result.warnings.join("\n")).toMatch(/titled "254Carbon" already exists with uid "made-by-hand" \(defined uid "carbon"\): not creating a duplicate/);
    expect(result.items.find((i) => i.uid === "carbon")?.error).toMatch(/--adopt-folders/);
    expect(double.dashboards.size).toBe(0);
  });

  it("with --adopt-folders the existing folder is used, for children, dashboards and alert groups", async () => {
    double = await new GrafanaDouble(mode.options).start();
    double.seedFolder({ uid: "made-by-hand", title: "254Carbon" });
    double.seedFolder({ uid: "alerts-by-hand", title: "Alerts", parentUid: "made-by-hand" });
    const spec = generateSpec(2, [...FOLDERS, { uid: "carbon-alerts", title: "Alerts", parentUid: "carbon" }]);
    spec.alertGroups = [
      {
        name: "g",
        folderUid: "carbon-alerts",
        body: { title: "g", folderUid: "carbon-alerts", interval: 60, rules: [{ uid: "r1", title: "R1", condition: "A", data: [{ refId: "A", model: {} }], noDataState: "OK", execErrState: "Error", folderUID: "carbon-alerts", ruleGroup: "g" }] },
      },
    ];
    const outputs = await loadOutputs(await writeOutDir(spec));
    const result = await push(clientFor(double), outputs, { message: "m", adoptFolders: true, alerts: true, api });
    expect(result.ok).toBe(true);
    expect(double.folders.has("carbon")).toBe(false);
    expect(double.folders.get("carbon-mesh")?.parentUid).toBe("made-by-hand");
    expect(double.ruleGroups.has("alerts-by-hand/g")).toBe(true);
    expect((double.ruleGroups.get("alerts-by-hand/g")!.rules as { folderUID: string }[])[0]?.folderUID).toBe("alerts-by-hand");
    expect(result.warnings.join("\n")).toMatch(/uid "made-by-hand" \(defined uid "carbon"\): adopted it/);
    // And a second run is a no-op.
    const writes = double.log.filter((r) => r.method !== "GET").length;
    const again = await push(clientFor(double), outputs, { message: "m", adoptFolders: true, alerts: true, api });
    expect(again.items.filter((i) => !["unchanged"].includes(i.action))).toEqual([]);
    expect(double.log.filter((r) => r.method !== "GET").length).toBe(writes);
  });
});

describe.each(MODES)("after a 401 the rest is skipped (item 7, $api API)", (mode: Mode) => {
  const { api } = mode;
  it("a token revoked in the middle of the push: one failure, every other object skipped", async () => {
    double = await new GrafanaDouble(mode.options).start();
    // The token is revoked right after the last folder was created.
    double.options.afterResponse = (entry, d) => {
      if (hits(mode.createFolder, entry.method, entry.path) && d.folders.size === 3) d.options.tokenState = "api-key.revoked";
    };
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(12))), { message: "m", api }); // 12 > concurrency 8
    expect(result.fatal).toMatch(/401 api-key\.revoked/);
    const dashboards = countActions(result.items, "dashboard");
    expect(dashboards.failed).toBe(1);
    expect(dashboards.skipped).toBe(11);
  });
});
