// Push through Grafana 12+'s resource API (/apis): which API `auto` picks for each kind of server,
// that resources mode creates, skips unchanged, updates and prunes exactly as legacy mode does,
// and optimistic concurrency on metadata.resourceVersion (a stale write is refused; push re-reads
// and retries once).

import { afterEach, describe, expect, it } from "vitest";
import { loadOutputs } from "../../src/grafana/manifest";
import { MANAGED_TAG } from "../../src/grafana/plan";
import { countActions, push, type ApiChoice, type PushResult } from "../../src/grafana/push";
import { dashboardModel, generateSpec, writeOutDir, type OutSpec } from "./fixtures";
import { GrafanaDouble, type DoubleOptions, type LoggedRequest } from "./grafana-double";
import { clientFor } from "./helpers";

let doubles: GrafanaDouble[] = [];
afterEach(async () => {
  await Promise.all(doubles.map((d) => d.stop()));
  doubles = [];
});

async function start(options: DoubleOptions = {}): Promise<GrafanaDouble> {
  const double = await new GrafanaDouble(options).start();
  doubles.push(double);
  return double;
}

const GRAFANA_12: DoubleOptions = { resourceApi: { versions: ["v1beta1"] } };
const DASHBOARDS_API = "/apis/dashboard.grafana.app/";
const FOLDERS_API = "/apis/folder.grafana.app/";

async function pushSpec(double: GrafanaDouble, spec: OutSpec, api: ApiChoice, extra: { prune?: boolean; message?: string } = {}): Promise<PushResult> {
  return push(clientFor(double), await loadOutputs(await writeOutDir(spec)), { message: extra.message ?? "m", prune: extra.prune, api });
}

const writesTo = (double: GrafanaDouble, prefix: string) => double.log.filter((r) => r.method !== "GET" && r.path.startsWith(prefix));
const legacyWrites = (double: GrafanaDouble) => [...writesTo(double, "/api/dashboards"), ...writesTo(double, "/api/folders")];

/** What a person sees in Grafana: every dashboard's content, folder and version, and the folder tree. */
function state(double: GrafanaDouble) {
  return {
    dashboards: Object.fromEntries([...double.dashboards].map(([uid, d]) => [uid, { folderUid: d.folderUid, version: d.version, dashboard: d.dashboard, history: d.history.map((h) => h.message) }])),
    folders: Object.fromEntries([...double.folders].map(([uid, f]) => [uid, { title: f.title, parentUid: f.parentUid }])),
  };
}

describe("--api auto picks the API each server has", () => {
  it.each([
    ["Grafana before 12 (its HTML app page at /apis)", "legacy", {}],
    ["Grafana 11 (/apis lists only v0alpha1)", "legacy", { resourceApi: { versions: ["v0alpha1"] } }],
    ["Grafana 12 (v1beta1)", "resources", GRAFANA_12],
    ["Grafana 13 (v1 and v1beta1)", "resources", { resourceApi: { versions: ["v1", "v1beta1", "v2beta1"] } }],
  ] as const)("%s → %s", async (_name, expected, options) => {
    const double = await start(options);
    const result = await pushSpec(double, generateSpec(4), "auto");
    expect(result.ok).toBe(true);
    expect(result.api?.split(" ")[0]).toBe(expected);
    if (expected === "legacy") {
      expect(writesTo(double, "/apis/")).toEqual([]);
      expect(double.dashboards.size).toBe(4);
    } else {
      expect(legacyWrites(double)).toEqual([]);
      expect(writesTo(double, DASHBOARDS_API)).toHaveLength(4);
      expect(writesTo(double, FOLDERS_API)).toHaveLength(3);
    }
  });

  it("prefers v1 when the server serves it, and takes the namespace from /bootdata", async () => {
    const double = await start({ resourceApi: { versions: ["v1beta1", "v1"], namespace: "stacks-4711" } });
    const result = await pushSpec(double, generateSpec(1), "auto");
    expect(result.api).toBe("resources (dashboard.grafana.app/v1, folder.grafana.app/v1, namespace stacks-4711)");
    expect(writesTo(double, "/apis/").every((r) => r.path.includes("/v1/namespaces/stacks-4711/"))).toBe(true);
  });

  it("--api resources against a server without it stops before writing anything, saying why", async () => {
    const double = await start();
    const result = await pushSpec(double, generateSpec(2), "resources");
    expect(result.ok).toBe(false);
    expect(result.fatal).toMatch(/^--api resources: GET \/apis answered 200 without an API group list .*; use --api legacy/);
    expect(double.writes()).toEqual([]);
  });

  it("a failing /apis (503 after retries) costs at most a few seconds: auto warns and pushes through /api", async () => {
    const double = await start({ ...GRAFANA_12, script: (_m, p) => (p.startsWith("/apis") ? "503" : undefined) });
    const started = Date.now();
    const result = await pushSpec(double, generateSpec(2), "auto");
    expect(Date.now() - started).toBeLessThan(6000);
    expect(result.ok).toBe(true);
    expect(result.api).toBe("legacy (/api)");
    expect(result.warnings.join("\n")).toMatch(/resource API discovery failed \(GET \/apis failed with 503.*\); using the legacy API/);
    expect(double.dashboards.size).toBe(2);
  });

  it("--api legacy uses /api even when the server has the resource API", async () => {
    const double = await start(GRAFANA_12);
    await pushSpec(double, generateSpec(2), "legacy");
    expect(double.log.some((r) => r.path.startsWith("/apis"))).toBe(false);
    expect(double.dashboards.size).toBe(2);
  });
});

describe("resources mode does what legacy mode does", () => {
  /** The same story on two servers, one per API: first push, repeat, one change, hand-made and stale dashboards, prune. */
  async function story(api: "legacy" | "resources") {
    const double = await start({ resourceApi: { versions: ["v1beta1"], pageCap: 3 } });
    const spec = generateSpec(8);
    const first = await pushSpec(double, spec, api, { message: "one" });
    const writesAfterFirst = double.writes().length;
    const repeat = await pushSpec(double, spec, api, { message: "two" });
    const writesAfterRepeat = double.writes().length;

    (spec.dashboards[2]!.model.panels as { title: string }[])[0]!.title = "Renamed";
    spec.folders = spec.folders.map((f) => (f.uid === "carbon-kafka" ? { ...f, title: "Event streaming" } : f));
    // Someone's own dashboard, untagged; and one of ours that is no longer defined.
    double.seedDashboard(dashboardModel("hand-made", "Hand made"), "carbon");
    double.seedDashboard(dashboardModel("retired", "Retired", 1, ["254carbon", MANAGED_TAG]), "carbon-mesh");
    const third = await pushSpec(double, spec, api, { message: "three", prune: true });
    return { double, first, repeat, third, writesAfterFirst, writesAfterRepeat };
  }

  it("creates, skips unchanged, updates exactly what changed and prunes only stale managed dashboards, leaving Grafana as legacy mode does", async () => {
    const legacy = await story("legacy");
    const resources = await story("resources");
    for (const run of [legacy, resources]) {
      expect(run.first.ok && run.repeat.ok && run.third.ok).toBe(true);
      expect(countActions(run.first.items, "dashboard").create).toBe(8);
      expect(countActions(run.repeat.items, "dashboard").unchanged).toBe(8);
      expect(run.writesAfterRepeat).toBe(run.writesAfterFirst);
      expect(countActions(run.third.items, "dashboard")).toMatchObject({ update: 1, unchanged: 7, delete: 1 });
      expect(countActions(run.third.items, "folder")).toMatchObject({ update: 1, unchanged: 2 });
      expect(run.double.dashboards.has("retired")).toBe(false);
      expect(run.double.dashboards.has("hand-made")).toBe(true);
    }
    expect(state(resources.double)).toEqual(state(legacy.double));
    // The resource run went through /apis only, listed dashboards page by page (cap 3: 10 dashboards
    // → 4 pages) and never relied on a label selector.
    expect(legacyWrites(resources.double)).toEqual([]);
    const lists = resources.double.log.filter((r) => r.method === "GET" && /\/dashboards\?/.test(r.path));
    expect(lists.length).toBe(4);
    expect(lists.slice(1).every((r) => r.path.includes("continue="))).toBe(true);
    expect(lists.some((r) => r.path.includes("labelSelector"))).toBe(false);
  });

  it("an update sends the resourceVersion it read; the folder rename keeps the folder's parent", async () => {
    const double = await start(GRAFANA_12);
    const spec = generateSpec(3);
    await pushSpec(double, spec, "resources");
    const read = double.dashboards.get("dash-0001")!.resourceVersion;
    (spec.dashboards[1]!.model.panels as { title: string }[])[0]!.title = "Changed";
    spec.folders = spec.folders.map((f) => (f.uid === "carbon-mesh" ? { ...f, title: "Mesh" } : f));
    const result = await pushSpec(double, spec, "resources");
    expect(result.ok).toBe(true);
    const put = double.log.find((r) => r.method === "PUT" && r.path.endsWith("/dashboards/dash-0001"));
    expect(put?.status).toBe(200);
    expect(double.dashboards.get("dash-0001")!.resourceVersion).toBeGreaterThan(read);
    expect(double.folders.get("carbon-mesh")).toMatchObject({ title: "Mesh", parentUid: "carbon" });
  });
});

describe("optimistic concurrency on resourceVersion", () => {
  /** Someone saves `uid` right after each of our first `times` reads of it. */
  function editAfterOurReads(double: GrafanaDouble, uid: string, times: number): void {
    let left = times;
    double.options.afterResponse = (entry: LoggedRequest, d) => {
      if (left > 0 && entry.method === "GET" && entry.path.endsWith(`/dashboards/${uid}`) && entry.status === 200) {
        left--;
        d.editDashboard(uid, { description: `edited by hand ${left}` });
      }
    };
  }

  it.each([409, 412] as const)("a stale write (%i) is re-read and retried once, and ours wins", async (conflictStatus) => {
    const double = await start({ resourceApi: { versions: ["v1beta1"], conflictStatus } });
    const spec = generateSpec(3);
    await pushSpec(double, spec, "resources");
    (spec.dashboards[0]!.model.panels as { title: string }[])[0]!.title = "Ours";
    editAfterOurReads(double, "dash-0000", 1);
    const from = double.log.length;

    const result = await pushSpec(double, spec, "resources");

    expect(result.ok).toBe(true);
    const traffic = double.log.slice(from).filter((r) => r.path.endsWith("/dashboards/dash-0000")).map((r) => `${r.method} ${r.status}`);
    expect(traffic).toEqual(["GET 200", `PUT ${conflictStatus}`, "GET 200", "PUT 200"]);
    const stored = double.dashboards.get("dash-0000")!.dashboard;
    expect((stored.panels as { title: string }[])[0]!.title).toBe("Ours");
    expect(stored.description).toBeUndefined();
    expect(result.items.find((i) => i.uid === "dash-0000")?.action).toBe("update");
  });

  it("a lost reply to our own update is not taken for a conflict (the retry meets our new resourceVersion)", async () => {
    const double = await start(GRAFANA_12);
    const spec = generateSpec(1);
    await pushSpec(double, spec, "resources");
    (spec.dashboards[0]!.model.panels as { title: string }[])[0]!.title = "Ours";
    let dropped = false;
    double.options.script = (m, p) => {
      if (dropped || m !== "PUT" || !p.endsWith("/dashboards/dash-0000")) return undefined;
      dropped = true;
      return "drop-after";
    };
    const from = double.log.length;
    const result = await pushSpec(double, spec, "resources");
    expect(result.ok).toBe(true);
    expect(double.log.slice(from).filter((r) => r.path.endsWith("/dashboards/dash-0000")).map((r) => `${r.method} ${r.status}`)).toEqual(["GET 200", "PUT dropped", "PUT 409", "GET 200"]);
    expect(double.dashboards.get("dash-0000")!.version).toBe(2); // written once
  });

  it("a write that conflicts again after the retry fails that dashboard only, naming it", async () => {
    const double = await start(GRAFANA_12);
    const spec = generateSpec(3);
    await pushSpec(double, spec, "resources");
    for (const d of spec.dashboards) (d.model.panels as { title: string }[])[0]!.title = "Ours";
    editAfterOurReads(double, "dash-0001", 2);

    const result = await pushSpec(double, spec, "resources");

    expect(result.ok).toBe(false);
    const failed = result.items.filter((i) => i.action === "failed");
    expect(failed.map((i) => i.uid)).toEqual(["dash-0001"]);
    expect(failed[0]!.error).toMatch(/conflict \(409\) updating Dashboard "dash-0001": it changed again between our re-read and our retry/);
    expect(countActions(result.items, "dashboard").update).toBe(2);
    expect(double.dashboards.get("dash-0001")!.dashboard.description).toBe("edited by hand 0"); // theirs stays
  });

  it("a dashboard created by someone else between our read and our create is updated, not duplicated", async () => {
    const double = await start(GRAFANA_12);
    const spec = generateSpec(1);
    double.options.afterResponse = (entry, d) => {
      if (entry.method === "GET" && entry.path.endsWith("/dashboards/dash-0000") && entry.status === 404 && !d.dashboards.has("dash-0000")) {
        d.seedDashboard(dashboardModel("dash-0000", "Someone else's", 1), "carbon");
      }
    };
    const result = await pushSpec(double, spec, "resources");
    expect(result.ok).toBe(true);
    const traffic = double.log.filter((r) => r.path.endsWith("/dashboards/dash-0000") || (r.method === "POST" && r.path.endsWith("/dashboards"))).map((r) => `${r.method} ${r.status}`);
    expect(traffic).toEqual(["GET 404", "POST 409", "GET 200", "PUT 200"]);
    expect(double.dashboards.get("dash-0000")!.dashboard.title).toBe("Dashboard 0");
  });

  it("the double refuses an update without a resourceVersion or with a stale one", async () => {
    const double = await start(GRAFANA_12);
    double.seedDashboard(dashboardModel("x", "X"));
    const client = clientFor(double);
    const path = "/apis/dashboard.grafana.app/v1beta1/namespaces/default/dashboards/x";
    const body = (resourceVersion?: string) => ({ apiVersion: "dashboard.grafana.app/v1beta1", kind: "Dashboard", metadata: { name: "x", ...(resourceVersion ? { resourceVersion } : {}) }, spec: { title: "X2" } });
    expect((await client.http.request("PUT", path, { body: body(), accept: [422] })).status).toBe(422);
    expect((await client.http.request("PUT", path, { body: body("0"), accept: [409] })).status).toBe(409);
    const current = String(double.dashboards.get("x")!.resourceVersion);
    expect((await client.http.request("PUT", path, { body: body(current) })).status).toBe(200);
  });
});
