// Reads and checks out/manifest.json (src/model/manifest.ts) and the files it lists, for the push.

import { readFile } from "node:fs/promises";
import path from "node:path";
import Ajv, { type JSONSchemaType } from "ajv";
import { UID_PATTERN } from "../model/dashboard";
import { MANIFEST_FILE, type Manifest, type ManifestAlertRuleGroup, type ManifestDashboard } from "../model/manifest";

// Same rules Grafana applies (grafana-api.md): uid ≤ 40 of [a-zA-Z0-9-_].
const uid = { type: "string", pattern: UID_PATTERN.source } as const;
const relativeFile = { type: "string", pattern: "^(?!/)(?!.*\\.\\.)[^\\\\]+\\.json$" } as const;

// Mutable mirror of Manifest: ajv's JSONSchemaType does not accept readonly arrays.
interface ManifestJson {
  folders: { uid: string; title: string; parentUid?: string }[];
  dashboards: { uid: string; title: string; folderUid: string; file: string }[];
  alertRuleGroups?: { name: string; folderUid: string; file: string }[];
}

const schema: JSONSchemaType<ManifestJson> = {
  type: "object",
  required: ["folders", "dashboards"],
  additionalProperties: false,
  properties: {
    folders: {
      type: "array",
      items: {
        type: "object",
        required: ["uid", "title"],
        additionalProperties: false,
        properties: { uid, title: { type: "string", minLength: 1 }, parentUid: { ...uid, nullable: true } },
      },
    },
    dashboards: {
      type: "array",
      items: {
        type: "object",
        required: ["uid", "title", "folderUid", "file"],
        additionalProperties: false,
        properties: {
          uid,
          title: { type: "string", minLength: 1 },
          folderUid: { type: "string", pattern: "^[a-zA-Z0-9_-]{0,40}$" },
          file: relativeFile,
        },
      },
    },
    alertRuleGroups: {
      type: "array",
      nullable: true,
      items: {
        type: "object",
        required: ["name", "folderUid", "file"],
        additionalProperties: false,
        properties: { name: { type: "string", minLength: 1 }, folderUid: uid, file: relativeFile },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true }).compile(schema);

export class ManifestError extends Error {
  constructor(file: string, problems: readonly string[]) {
    super(`${file} is malformed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ManifestError";
  }
}

/** Checks shape and cross-references; throws a ManifestError naming the file and every problem. */
export function parseManifest(text: string, file: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  if (!validate(data)) {
    throw new ManifestError(
      file,
      (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? "is invalid"}`),
    );
  }
  const manifest: Manifest = data;
  const problems: string[] = [];
  const seenFolders = new Set<string>();
  for (const folder of manifest.folders) {
    if (seenFolders.has(folder.uid)) problems.push(`folder uid "${folder.uid}" is listed twice`);
    if (folder.parentUid !== undefined && !seenFolders.has(folder.parentUid)) {
      problems.push(`folder "${folder.uid}": parent "${folder.parentUid}" must be listed before it`);
    }
    seenFolders.add(folder.uid);
  }
  const seenDashboards = new Set<string>();
  for (const d of manifest.dashboards) {
    if (seenDashboards.has(d.uid)) problems.push(`dashboard uid "${d.uid}" is listed twice`);
    seenDashboards.add(d.uid);
    if (d.folderUid !== "" && !seenFolders.has(d.folderUid)) problems.push(`dashboard "${d.uid}": folder "${d.folderUid}" is not in folders`);
  }
  const seenGroups = new Set<string>();
  for (const g of manifest.alertRuleGroups ?? []) {
    const key = `${g.folderUid}/${g.name}`;
    if (seenGroups.has(key)) problems.push(`alert rule group "${key}" is listed twice`);
    seenGroups.add(key);
    if (!seenFolders.has(g.folderUid)) problems.push(`alert rule group "${g.name}": folder "${g.folderUid}" is not in folders`);
  }
  if (problems.length) throw new ManifestError(file, problems);
  return manifest;
}

export interface LoadedDashboard extends ManifestDashboard {
  /** The dashboard model as built (no id/version). */
  readonly model: Record<string, unknown>;
}

export interface LoadedAlertRuleGroup extends ManifestAlertRuleGroup {
  /** Body of the provisioning rule-group PUT. */
  readonly body: Record<string, unknown>;
}

export interface LoadedOutputs {
  readonly outDir: string;
  readonly manifest: Manifest;
  readonly dashboards: readonly LoadedDashboard[];
  readonly alertRuleGroups: readonly LoadedAlertRuleGroup[];
}

async function readJsonObject(file: string): Promise<Record<string, unknown>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new ManifestError(file, [`cannot be read as JSON: ${(error as Error).message}`]);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new ManifestError(file, ["must hold a JSON object"]);
  return data as Record<string, unknown>;
}

/** Reads out/manifest.json and every file it names. */
export async function loadOutputs(outDir: string): Promise<LoadedOutputs> {
  const manifestPath = path.join(outDir, MANIFEST_FILE);
  const manifest = parseManifest(await readFile(manifestPath, "utf8"), manifestPath);
  const dashboards = await Promise.all(
    manifest.dashboards.map(async (d) => {
      const file = path.join(outDir, d.file);
      const model = await readJsonObject(file);
      if (model.uid !== d.uid) throw new ManifestError(file, [`uid is ${JSON.stringify(model.uid)} but ${manifestPath} says "${d.uid}"`]);
      if (typeof model.title !== "string" || model.title.length === 0) throw new ManifestError(file, ["dashboard title is missing"]);
      return { ...d, model };
    }),
  );
  const alertRuleGroups = await Promise.all(
    (manifest.alertRuleGroups ?? []).map(async (g) => ({ ...g, body: await readJsonObject(path.join(outDir, g.file)) })),
  );
  return { outDir, manifest, dashboards, alertRuleGroups };
}
