import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOutputs } from "../../src/grafana/manifest";
import { MANAGED_TAG } from "../../src/grafana/plan";
import { countActions, push } from "../../src/grafana/push";
import { dashboardModel, FOLDERS, generateSpec, writeOutDir } from "./fixtures";
import { GrafanaDouble } from "./grafana-double";
import { clientFor } from "./helpers";

let double: GrafanaDouble;
beforeEach(async () => {
  double = await new GrafanaDouble().start();
});
afterEach(async () => {
  await double.stop();
});

const writeCount = () => double.log.filter((r) => r.method !== "GET").length;

describe("push against the Grafana double", () => {
  it("first push creates folders (parents first) and every dashboard with the managed tag", async () => {
    const spec = generateSpec(12);
    const outputs = await loadOutputs(await writeOutDir(spec));
    const result = await push(clientFor(double), outputs, { message: "test abc123" });

    expect(result.ok).toBe(true);
    expect(countActions(result.items, "folder").create).toBe(3);
    expect(countActions(result.items, "dashboard").create).toBe(12);
    expect([...double.folders.keys()]).toEqual(["carbon", "carbon-mesh", "carbon-kafka"]);
    expect(double.folders.get("carbon-mesh")?.parentUid).toBe("carbon");
    // Health first, then folders, and no dashboard POST before the last folder POST.
    expect(double.log[0]?.path).toBe("/api/health");
    const lastFolderPost = double.log.findLastIndex((r) => r.method === "POST" && r.path === "/api/folders");
    const firstDashPost = double.log.findIndex((r) => r.method === "POST" && r.path === "/api/dashboards/db");
    expect(lastFolderPost).toBeLessThan(firstDashPost);
    expect(double.dashboards.size).toBe(12);
    for (const d of spec.dashboards) {
      const stored = double.dashboards.get(d.uid)!;
      expect(stored.folderUid).toBe(d.folderUid);
      expect(stored.dashboard.tags).toEqual(["254carbon", MANAGED_TAG]);
      expect(stored.dashboard.panels).toEqual(d.model.panels);
      expect(stored.history).toEqual([{ version: 1, message: "test abc123" }]);
    }
  });

  it("a second push writes nothing and bumps no version", async () => {
    const outputs = await loadOutputs(await writeOutDir(generateSpec(20)));
    await push(clientFor(double), outputs, { message: "one" });
    const versions = new Map([...double.dashboards].map(([uid, d]) => [uid, d.version]));
    const writesBefore = writeCount();

    const second = await push(clientFor(double), outputs, { message: "two" });

    expect(second.ok).toBe(true);
    expect(writeCount()).toBe(writesBefore);
    expect(countActions(second.items, "dashboard").unchanged).toBe(20);
    expect(countActions(second.items, "folder").unchanged).toBe(3);
    expect(new Map([...double.dashboards].map(([uid, d]) => [uid, d.version]))).toEqual(versions);
  });

  it("a dashboard whose JSON already carries the managed tag is unchanged on the second push too", async () => {
    const spec = generateSpec(2);
    spec.dashboards[0]!.model = dashboardModel("dash-0000", "Dashboard 0", 2, [MANAGED_TAG, "x"]);
    const outputs = await loadOutputs(await writeOutDir(spec));
    await push(clientFor(double), outputs, { message: "m" });
    const second = await push(clientFor(double), outputs, { message: "m" });
    expect(countActions(second.items, "dashboard").unchanged).toBe(2);
    expect(double.dashboards.get("dash-0000")?.dashboard.tags).toEqual([MANAGED_TAG, "x"]);
  });

  it("one changed panel updates exactly that dashboard, and the diff names the path", async () => {
    const spec = generateSpec(10);
    const dir = await writeOutDir(spec);
    await push(clientFor(double), await loadOutputs(dir), { message: "one" });
    const posts = () => double.count("POST", "/api/dashboards/db");
    const before = posts();

    const panels = spec.dashboards[3]!.model.panels as { title: string }[];
    panels[1]!.title = "Renamed";
    await writeOutDir(spec, dir);
    const result = await push(clientFor(double), await loadOutputs(dir), { message: "two" });

    expect(posts() - before).toBe(1);
    const updated = result.items.filter((i) => i.action === "update");
    expect(updated.map((i) => i.uid)).toEqual(["dash-0003"]);
    expect(updated[0]?.changes).toEqual([{ op: "changed", path: "$.panels[1].title" }]);
    expect(double.dashboards.get("dash-0003")?.version).toBe(2);
    expect(double.dashboards.get("dash-0003")?.history.at(-1)?.message).toBe("two");
    expect(double.dashboards.get("dash-0004")?.version).toBe(1);
  });

  it("moving a dashboard to another folder is an update", async () => {
    const spec = generateSpec(2);
    const dir = await writeOutDir(spec);
    await push(clientFor(double), await loadOutputs(dir), { message: "one" });
    spec.dashboards[0]!.folderUid = "carbon";
    await writeOutDir(spec, dir);
    const result = await push(clientFor(double), await loadOutputs(dir), { message: "two" });
    expect(result.items.filter((i) => i.action === "update").map((i) => i.uid)).toEqual(["dash-0000"]);
    expect(double.dashboards.get("dash-0000")?.folderUid).toBe("carbon");
  });

  it("an edit made in the UI is overwritten with the definition", async () => {
    const outputs = await loadOutputs(await writeOutDir(generateSpec(1)));
    await push(clientFor(double), outputs, { message: "one" });
    double.dashboards.get("dash-0000")!.dashboard.title = "Edited by hand";
    double.dashboards.get("dash-0000")!.version = 7;
    const result = await push(clientFor(double), outputs, { message: "two" });
    expect(result.items.find((i) => i.uid === "dash-0000")?.action).toBe("update");
    expect(double.dashboards.get("dash-0000")?.dashboard.title).toBe("Dashboard 0");
  });

  it("prune deletes only managed dashboards that are no longer defined, across search pages", async () => {
    const spec = generateSpec(6);
    const dir = await writeOutDir(spec);
    await push(clientFor(double), await loadOutputs(dir), { message: "one" });
    double.seedDashboard({ uid: "hand-made", title: "Hand made", tags: ["254carbon"] });
    double.seedDashboard({ uid: "other-team", title: "Other team", tags: ["managed-by:someone-else"] });

    spec.dashboards.splice(1, 2); // drop dash-0001 and dash-0002
    await writeOutDir(spec, dir);
    const client = clientFor(double, {}, { pageSize: 2 }); // small pages: exercises paging
    const result = await push(client, await loadOutputs(dir), { message: "two", prune: true });

    expect(result.ok).toBe(true);
    expect(result.items.filter((i) => i.action === "delete").map((i) => i.uid).sort()).toEqual(["dash-0001", "dash-0002"]);
    expect([...double.dashboards.keys()].sort()).toEqual(["dash-0000", "dash-0003", "dash-0004", "dash-0005", "hand-made", "other-team"]);
    const searches = double.log.filter((r) => r.path.startsWith("/api/search"));
    expect(searches.length).toBe(4); // 6 managed hits in pages of 2: 2, 2, 2, then an empty page
    expect(searches.every((r) => r.path.includes(`tag=${encodeURIComponent(MANAGED_TAG)}`))).toBe(true);
  });

  it("prune does not delete when the server ignores the tag filter", async () => {
    const dir = await writeOutDir(generateSpec(1));
    double.seedDashboard({ uid: "unmanaged", title: "Unmanaged", tags: [] });
    // A search that returns everything, as a misbehaving proxy or older server might.
    double.options.searchIgnoresTags = true;
    await push(clientFor(double), await loadOutputs(dir), { message: "m", prune: true });
    expect(double.dashboards.has("unmanaged")).toBe(true);
    expect(double.count("DELETE", "/api/dashboards")).toBe(0);
  });

  it("dry-run writes nothing and reports the plan with diffs", async () => {
    const spec = generateSpec(4);
    const dir = await writeOutDir(spec);
    await push(clientFor(double), await loadOutputs(dir), { message: "one" });
    const writesBefore = writeCount();
    const versions = [...double.dashboards.values()].map((d) => d.version);

    (spec.dashboards[0]!.model.panels as unknown[]).push({ id: 9, type: "stat", title: "New" });
    spec.dashboards.pop(); // dash-0003 becomes stale
    spec.dashboards.push({ uid: "new-one", title: "New one", folderUid: "carbon", model: dashboardModel("new-one", "New one") });
    spec.folders = [...FOLDERS, { uid: "carbon-new", title: "New folder", parentUid: "carbon" }];
    await writeOutDir(spec, dir);
    const result = await push(clientFor(double), await loadOutputs(dir), { message: "two", dryRun: true, prune: true });

    expect(writeCount()).toBe(writesBefore);
    expect(double.folders.has("carbon-new")).toBe(false);
    expect([...double.dashboards.values()].map((d) => d.version)).toEqual(versions);
    const byUid = new Map(result.items.map((i) => [i.uid, i]));
    expect(byUid.get("carbon-new")?.action).toBe("create");
    expect(byUid.get("new-one")?.action).toBe("create");
    expect(byUid.get("dash-0000")?.action).toBe("update");
    expect(byUid.get("dash-0000")?.changes).toEqual([{ op: "added", path: "$.panels[2]" }]);
    expect(byUid.get("dash-0001")?.action).toBe("unchanged");
    expect(byUid.get("dash-0003")?.action).toBe("delete");
  });

  it("an existing folder uid is adopted (412 on current Grafana, 409 on older)", async () => {
    for (const status of [412, 409] as const) {
      const d = await new GrafanaDouble({ folderConflictStatus: status }).start();
      try {
        const client = clientFor(d);
        d.seedFolder({ uid: "carbon", title: "254Carbon" });
        const created = await client.createFolder({ uid: "carbon", title: "254Carbon" });
        expect(created.created).toBe(false);
        expect(created.folder.uid).toBe("carbon");
        expect(d.log.some((r) => r.method === "POST" && r.status === status)).toBe(true);
      } finally {
        await d.stop();
      }
    }
  });

  it("a renamed folder is updated in place", async () => {
    double.seedFolder({ uid: "carbon", title: "Old title" });
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(generateSpec(1))), { message: "m" });
    expect(result.items.find((i) => i.uid === "carbon")?.action).toBe("update");
    expect(double.folders.get("carbon")?.title).toBe("254Carbon");
  });

  it("a failed dashboard does not stop the others, and the result is not ok", async () => {
    const spec = generateSpec(5);
    spec.dashboards[2]!.model.title = " "; // Grafana: 400 empty-name
    const result = await push(clientFor(double), await loadOutputs(await writeOutDir(spec)), { message: "m" });
    expect(result.ok).toBe(false);
    const failed = result.items.filter((i) => i.action === "failed");
    expect(failed.map((i) => i.uid)).toEqual(["dash-0002"]);
    expect(failed[0]?.error).toMatch(/Dashboard title cannot be empty/);
    expect(double.dashboards.size).toBe(4);
  });

  it("an unhealthy Grafana stops before any write", async () => {
    double.options.healthy = false;
    const result = await push(clientFor(double, { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1, totalTimeMs: 2000 } }), await loadOutputs(await writeOutDir(generateSpec(2))), { message: "m" });
    expect(result.ok).toBe(false);
    expect(result.fatal).toMatch(/health/);
    expect(writeCount()).toBe(0);
  });
});
