// Generated out/ directories for the push tests and the benchmark: the same layout the build
// writes (manifest.json + dashboards/<uid>.json), without running the build.

import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Manifest, ManifestFolder } from "../../src/model/manifest";

export interface DashboardSpec {
  uid: string;
  title: string;
  folderUid: string;
  model: Record<string, unknown>;
}

export interface OutSpec {
  folders: ManifestFolder[];
  dashboards: DashboardSpec[];
  alertGroups?: { name: string; folderUid: string; body: Record<string, unknown> }[];
}

export const FOLDERS: ManifestFolder[] = [
  { uid: "carbon", title: "254Carbon" },
  { uid: "carbon-mesh", title: "Service mesh", parentUid: "carbon" },
  { uid: "carbon-kafka", title: "Kafka", parentUid: "carbon" },
];

export function dashboardModel(uid: string, title: string, panelCount = 2, tags: string[] = ["254carbon"]): Record<string, unknown> {
  return {
    uid,
    title,
    tags,
    schemaVersion: 41,
    time: { from: "now-6h", to: "now" },
    panels: Array.from({ length: panelCount }, (_, i) => ({
      id: i + 1,
      type: "timeseries",
      title: `Panel ${i + 1}`,
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      targets: [{ refId: "A", expr: `sum(rate(http_requests_total{dashboard="${uid}"}[$__rate_interval]))` }],
    })),
  };
}

export function generateSpec(count: number, folders: ManifestFolder[] = FOLDERS): OutSpec {
  const leafFolders = folders.filter((f) => f.parentUid);
  const dashboards = Array.from({ length: count }, (_, i) => {
    const uid = `dash-${String(i).padStart(4, "0")}`;
    const folder = leafFolders[i % leafFolders.length] ?? folders[0]!;
    return { uid, title: `Dashboard ${i}`, folderUid: folder.uid, model: dashboardModel(uid, `Dashboard ${i}`) };
  });
  return { folders, dashboards };
}

export async function writeOutDir(spec: OutSpec, dir?: string): Promise<string> {
  const outDir = dir ?? (await mkdtemp(path.join(os.tmpdir(), "push-out-")));
  await rm(path.join(outDir, "dashboards"), { recursive: true, force: true });
  await mkdir(path.join(outDir, "dashboards"), { recursive: true });
  for (const d of spec.dashboards) {
    await writeFile(path.join(outDir, "dashboards", `${d.uid}.json`), JSON.stringify(d.model, null, 2) + "\n");
  }
  const manifest: Manifest = {
    folders: spec.folders,
    dashboards: spec.dashboards.map((d) => ({ uid: d.uid, title: d.title, folderUid: d.folderUid, file: `dashboards/${d.uid}.json` })),
    ...(spec.alertGroups
      ? { alertRuleGroups: spec.alertGroups.map((g) => ({ name: g.name, folderUid: g.folderUid, file: `grafana/alert-rules/${g.name}.json` })) }
      : {}),
  };
  if (spec.alertGroups) {
    await mkdir(path.join(outDir, "grafana", "alert-rules"), { recursive: true });
    for (const g of spec.alertGroups) await writeFile(path.join(outDir, "grafana", "alert-rules", `${g.name}.json`), JSON.stringify(g.body, null, 2));
  }
  await writeFile(path.join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return outDir;
}
