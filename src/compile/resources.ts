// Dashboard and Folder manifests for Grafana's resource API (`/apis/dashboard.grafana.app`,
// `/apis/folder.grafana.app`), in the layout `gcx resources push -p out/resources` and Git Sync read:
// one object per file, the directory tree mirroring the folders (Git Sync takes a dashboard's
// folder from its directory), each directory's own Folder in `_folder.json` (the name Git Sync's
// folder metadata uses, pkg/registry/apis/provisioning/resources/folder_metadata.go). The parent
// folder is also in the `grafana.app/folder` annotation, which gcx and the API use.

import type { OutputFile } from "../model/output";
import type { Finding } from "../model/finding";
import { folderChain, type DashboardDef, type FolderDef } from "../kit/dashboard";
import type { DashboardJson } from "../model/dashboard";

export const RESOURCES_DIR = "resources/";
export const FOLDER_FILE = "_folder.json";
export const FOLDER_ANNOTATION = "grafana.app/folder";

export interface ResourceManifest {
  readonly apiVersion: string;
  readonly kind: "Dashboard" | "Folder";
  readonly metadata: { readonly name: string; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec: unknown;
}

/** The folder's directory under out/resources, e.g. "254Carbon/Service Mesh". */
function directory(folder: FolderDef): string {
  return folderChain(folder)
    .map((f) => f.title)
    .join("/");
}

function parentAnnotation(folder: FolderDef | undefined): Pick<ResourceManifest["metadata"], "annotations"> {
  return folder ? { annotations: { [FOLDER_ANNOTATION]: folder.uid } } : {};
}

function manifestText(manifest: ResourceManifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}

/** A title that cannot be a directory name would put the folder somewhere else. */
function titleProblems(folder: FolderDef): Finding[] {
  const bad = /[/\\]/.test(folder.title) || folder.title === "." || folder.title === ".." || folder.title.trim() !== folder.title || !folder.title;
  return bad ? [{ location: ["folder " + folder.uid], message: `title "${folder.title}" cannot be a directory name (out/resources mirrors folders as directories)` }] : [];
}

export function compileResources(
  dashboards: readonly { readonly def: DashboardDef; readonly json: DashboardJson }[],
  apiVersion: string,
): { files: OutputFile[]; problems: Finding[] } {
  const files: OutputFile[] = [];
  const problems: Finding[] = [];
  const folders = new Map<string, FolderDef>();
  for (const { def } of dashboards) for (const folder of folderChain(def.folder)) folders.set(folder.uid, folder);

  const directories = new Map<string, string>();
  for (const folder of folders.values()) {
    problems.push(...titleProblems(folder));
    const dir = directory(folder);
    const clash = directories.get(dir.toLowerCase());
    if (clash !== undefined) problems.push({ location: ["folder " + folder.uid], message: `its directory "${dir}" is also folder ${clash}'s (titles must differ, ignoring case, under one parent)` });
    directories.set(dir.toLowerCase(), folder.uid);
    const manifest: ResourceManifest = {
      apiVersion: `folder.grafana.app/${apiVersion}`,
      kind: "Folder",
      metadata: { name: folder.uid, ...parentAnnotation(folder.parent) },
      spec: { title: folder.title },
    };
    files.push({ path: `${RESOURCES_DIR}${dir}/${FOLDER_FILE}`, content: manifestText(manifest) });
  }
  for (const { def, json } of dashboards) {
    const manifest: ResourceManifest = {
      apiVersion: `dashboard.grafana.app/${apiVersion}`,
      kind: "Dashboard",
      metadata: { name: def.uid, ...parentAnnotation(def.folder) },
      spec: json,
    };
    files.push({ path: `${RESOURCES_DIR}${directory(def.folder)}/${def.uid}.json`, content: manifestText(manifest) });
  }
  return { files, problems };
}
