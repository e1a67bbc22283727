// Issue 11: a fault-injecting Grafana (login pages, lost replies, saves that all fail, people
// editing between our reads and writes) must never cost a dashboard or yield a false success.

import { afterEach, describe, expect, it } from "vitest";
import { loadOutputs } from "../../src/grafana/manifest";
import { MANAGED_TAG } from "../../src/grafana/plan";
import { countActions, push } from "../../src/grafana/push";
import { ALL_PERMISSIONS, GrafanaDouble, type FaultKind } from "./grafana-double";
import { FOLDERS, generateSpec, writeOutDir, type OutSpec } from "./fixtures";
import { clientFor } from "./helpers";

let double: GrafanaDouble;
afterEach(async () => {
  await double?.stop();
});

const QUICK = { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5, totalTimeMs: 2000 } };

/** A first push of `spec`, so the double holds managed dashboards as after an earlier run. */
async function pushed(spec: OutSpec): Promise<void> {
  const first = await push(clientFor(double), await loadOutputs(await writeOutDir(spec)), { message: "earlier run" });
  expect(first.ok).toBe(true);
}

/** The same dashboards under new uids: every old one becomes stale. */
function renamed(spec: OutSpec): OutSpec {
  return {
    ...spec,
    dashboards: spec.dashboards.map((d) => ({ ...d, uid: `new-${d.uid}`, model: { ...d.model, uid: `new-${d.uid}` } })),
  };
}

describe("prune only after every save succeeded (item 1)", () => {
  it.each([
    ["503 on every save", (d: GrafanaDouble) => (d.options.script = (m, p) => (m === "POST" && p === "/api/dashboards/db" ? "503" : undefined))],
    ["403 on every save", (d: GrafanaDouble) => (d.options.permissions = new Set([...ALL_PERMISSIONS].filter((p) => p !== "dashboards:create")))],
  ])("%s during a --prune run: the server keeps every dashboard", async (_name, breakSaves) => {
    double = await new GrafanaDouble().start();
    const spec = generateSpec(4);
    await pushed(spec);
    breakSaves(double);

    const result = await push(clientFor(double, QUICK), await loadOutputs(await writeOutDir(renamed(spec))), { message: "m", prune: true });

    expect(result.ok).toBe(false);
    expect(countActions(result.items, "dashboard").failed).toBe(4);
    expect(double.count("DELETE", "/api/dashboards/")).toBe(0);
    expect([...double.dashboards.keys()].sort()).toEqual(spec.dashboards.map((d) => d.uid).sort());
    expect(result.warnings.join("\n")).toMatch(/prune skipped: 4 object\(s\) of this run were not pushed, so nothing was deleted/);
  });

  it("when every save succeeded, prune deletes the stale ones", async () => {
    double = await new GrafanaDouble().start();
    const spec = generateSpec(3);
    await pushed(spec);
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(renamed(spec))), { message: "m", prune: true });
    expect(result.ok).toBe(true);
    expect(countActions(result.items, "dashboard")).toMatchObject({ create: 3, delete: 3 });
    expect([...double.dashboards.keys()].every((uid) => uid.startsWith("new-"))).toBe(true);
  });
});

describe("re-read before deleting (item 2)", () => {
  it("a dashboard whose managed tag a person removed after the search is not deleted", async () => {
    double = await new GrafanaDouble().start();
    const spec = generateSpec(3);
    await pushed(spec);
    // Between our search and our delete, someone takes dash-0001 over by removing the tag.
    double.options.afterResponse = (entry, d) => {
      if (entry.path.startsWith("/api/search")) {
        const stored = d.dashboards.get("dash-0001")!;
        stored.dashboard.tags = (stored.dashboard.tags as string[]).filter((t) => t !== MANAGED_TAG);
        stored.version++;
      }
    };
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir({ ...spec, dashboards: [] })), { message: "m", prune: true });

    expect(double.dashboards.has("dash-0001")).toBe(true);
    expect(double.dashboards.has("dash-0000")).toBe(false);
    expect(double.dashboards.has("dash-0002")).toBe(false);
    const kept = result.items.find((i) => i.uid === "dash-0001");
    expect(kept?.action).toBe("skipped");
    expect(kept?.note).toMatch(/no longer tagged .* not deleted/);
    expect(double.log.some((r) => r.method === "GET" && r.path === "/api/dashboards/uid/dash-0001")).toBe(true);
  });
});

describe("every answer's shape is checked (item 3)", () => {
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
  const only = (method: string, prefix: string, kind: FaultKind) => (m: string, p: string) => (m === method && p.startsWith(prefix) ? kind : undefined);

  it("PUT rule-groups answering 200 with a login page: 0 created, each failed with status and snippet", async () => {
    double = await new GrafanaDouble({ script: only("PUT", "/api/v1/provisioning/", "login-page") }).start();
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(spec())), { message: "m", alerts: true });
    expect(result.ok).toBe(false);
    expect(countActions(result.items, "alert-rule-group")).toMatchObject({ create: 0, failed: 3 });
    expect(double.ruleGroups.size).toBe(0);
    for (const item of result.items.filter((i) => i.kind === "alert-rule-group"))
      expect(item.error).toMatch(/PUT \/api\/v1\/provisioning\/folder\/carbon-alerts\/rule-groups\/[abc] answered 200 but not with .*Body: ".*<title>Sign in<\/title>/);
  });

  it.each([
    ["POST /api/dashboards/db answering 200 without a version", "POST", "/api/dashboards/db", "empty-200", /POST \/api\/dashboards\/db answered 200 but not with .*version.*Body: "\{\}"/],
    ["POST /api/dashboards/db answering a login page", "POST", "/api/dashboards/db", "login-page", /answered 200 but not with .*Sign in/],
    ["GET dashboard answering a login page", "GET", "/api/dashboards/uid/", "login-page", /GET \/api\/dashboards\/uid\/dash-0000 answered 200/],
  ] as const)("%s: the dashboard is failed, not created", async (_name, method, prefix, kind, message) => {
    double = await new GrafanaDouble({ script: only(method, prefix, kind) }).start();
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(1))), { message: "m" });
    expect(result.ok).toBe(false);
    const item = result.items.find((i) => i.uid === "dash-0000");
    expect(item?.action).toBe("failed");
    expect(item?.error).toMatch(message);
    expect(double.dashboards.size).toBe(0);
  });

  it("PUT /api/folders/:uid (rename) answering a login page is a failure", async () => {
    double = await new GrafanaDouble({ script: only("PUT", "/api/folders/", "login-page") }).start();
    double.seedFolder({ uid: "carbon", title: "Old title" });
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(1))), { message: "m" });
    const folder = result.items.find((i) => i.uid === "carbon");
    expect(folder?.action).toBe("failed");
    expect(folder?.error).toMatch(/PUT \/api\/folders\/carbon answered 200 but not with/);
    expect(double.folders.get("carbon")?.title).toBe("Old title");
  });

  it("DELETE answering a login page is a failure, and the dashboard is still there", async () => {
    double = await new GrafanaDouble().start();
    const spec = generateSpec(2);
    await pushed(spec);
    double.options.script = only("DELETE", "/api/dashboards/", "login-page");
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir({ ...spec, dashboards: [spec.dashboards[0]!] })), { message: "m", prune: true });
    expect(result.ok).toBe(false);
    expect(result.items.find((i) => i.uid === "dash-0001")).toMatchObject({ action: "failed", error: expect.stringMatching(/DELETE \/api\/dashboards\/uid\/dash-0001 answered 200/) });
    expect(double.dashboards.has("dash-0001")).toBe(true);
  });

  it("a login page on the health check stops the push before any write", async () => {
    double = await new GrafanaDouble({ script: only("GET", "/api/health", "login-page") }).start();
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(1))), { message: "m" });
    expect(result.fatal).toMatch(/health check failed: GET \/api\/health answered 200 but not with/);
    expect(double.log.length).toBe(1);
  });

  it("a proxy's HTML 404 is not taken for \"no such dashboard\"", async () => {
    double = await new GrafanaDouble().start();
    await pushed(generateSpec(1));
    double.options.script = only("GET", "/api/dashboards/uid/", "proxy-404");
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(1))), { message: "m" });
    expect(result.items.find((i) => i.uid === "dash-0000")).toMatchObject({ action: "failed", error: expect.stringMatching(/answered 404 but not with Grafana's JSON 404 body.*nginx/) });
    expect(double.count("POST", "/api/dashboards/db")).toBe(1); // only the earlier run's
  });
});

describe("a lost DELETE reply (item 4)", () => {
  it("the retry's 404 means done: exit status ok, dashboard gone", async () => {
    double = await new GrafanaDouble().start();
    const spec = generateSpec(2);
    await pushed(spec);
    let dropped = false;
    double.options.script = (m) => {
      if (m !== "DELETE" || dropped) return undefined;
      dropped = true;
      return "drop-after";
    };
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir({ ...spec, dashboards: [spec.dashboards[0]!] })), { message: "m", prune: true });
    expect(result.ok).toBe(true);
    expect(result.items.find((i) => i.uid === "dash-0001")?.action).toBe("delete");
    expect(double.dashboards.has("dash-0001")).toBe(false);
    expect(double.log.filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual(["dropped", 404]);
  });
});

describe("folders with the same title and another uid (item 7)", () => {
  it("are never duplicated: push fails that folder and warns with both uids", async () => {
    double = await new GrafanaDouble().start();
    double.seedFolder({ uid: "made-by-hand", title: "254Carbon" });
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(2))), { message: "m" });
    expect(result.ok).toBe(false);
    expect([...double.folders.values()].filter((f) => f.title === "254Carbon").map((f) => f.uid)).toEqual(["made-by-hand"]);
    expect(result.warnings.join("\n")).toMatch(/titled "254Carbon" already exists with uid "made-by-hand" \(defined uid "carbon"\): not creating a duplicate/);
    expect(result.items.find((i) => i.uid === "carbon")?.error).toMatch(/--adopt-folders/);
    expect(double.dashboards.size).toBe(0);
  });

  it("with --adopt-folders the existing folder is used, for children, dashboards and alert groups", async () => {
    double = await new GrafanaDouble().start();
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
    const result = await push(clientFor(double), outputs, { message: "m", adoptFolders: true, alerts: true });
    expect(result.ok).toBe(true);
    expect(double.folders.has("carbon")).toBe(false);
    expect(double.folders.get("carbon-mesh")?.parentUid).toBe("made-by-hand");
    expect(double.ruleGroups.has("alerts-by-hand/g")).toBe(true);
    expect((double.ruleGroups.get("alerts-by-hand/g")!.rules as { folderUID: string }[])[0]?.folderUID).toBe("alerts-by-hand");
    expect(result.warnings.join("\n")).toMatch(/uid "made-by-hand" \(defined uid "carbon"\): adopted it/);
    // And a second run is a no-op.
    const writes = double.log.filter((r) => r.method !== "GET").length;
    const again = await push(clientFor(double), outputs, { message: "m", adoptFolders: true, alerts: true });
    expect(again.items.filter((i) => !["unchanged"].includes(i.action))).toEqual([]);
    expect(double.log.filter((r) => r.method !== "GET").length).toBe(writes);
  });
});

describe("after a 401 the rest is skipped (item 7)", () => {
  it("a token revoked in the middle of the push: one failure, every other object skipped", async () => {
    double = await new GrafanaDouble().start();
    // The token is revoked right after the last folder was created.
    double.options.afterResponse = (entry, d) => {
      if (entry.method === "POST" && entry.path === "/api/folders" && d.folders.size === 3) d.options.tokenState = "api-key.revoked";
    };
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(12))), { message: "m" }); // 12 > concurrency 8
    expect(result.fatal).toMatch(/401 api-key\.revoked/);
    const dashboards = countActions(result.items, "dashboard");
    expect(dashboards.failed).toBe(1);
    expect(dashboards.skipped).toBe(11);
  });
});
