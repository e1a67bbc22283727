// What the build may touch. An output folder is recognised only by its marker file, which
// names this tool and lists the files the build wrote; only those files are ever deleted.
// Anything else (a file, a symlink, a folder of someone else's files, the repository or one
// of its ancestors) is refused before anything is written.

import { lstat, readdir, readFile, realpath } from "node:fs/promises";
import { readdirSync, rmdirSync, unlinkSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { OutputFile } from "../model/output";

export const MARKER_FILE = ".254carbon-build.json";
const GENERATOR = "254carbon-observability npm run build";

/** Thrown when the output folder is not one the build may replace; nothing was changed. */
export class OutDirError extends Error {
  override readonly name = "OutDirError";
}

interface Marker {
  readonly generator: string;
  readonly files: readonly string[];
}

/** The build's files plus the marker that lists them: the whole tree written to the output folder. */
export function withMarker(files: readonly OutputFile[]): OutputFile[] {
  const marker: Marker = { generator: GENERATOR, files: files.map((f) => f.path) };
  return [{ path: MARKER_FILE, content: JSON.stringify(marker, null, 2) + "\n" }, ...files];
}

/** The files a folder's marker lists, or undefined when it has no valid marker of this tool. */
export async function readMarker(dir: string): Promise<readonly string[] | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MARKER_FILE), "utf8");
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { generator, files } = parsed as Partial<Record<keyof Marker, unknown>>;
  if (generator !== GENERATOR || !Array.isArray(files)) return undefined;
  // A listed path must stay inside the folder: a crafted marker cannot reach outside it.
  if (!files.every((f): f is string => typeof f === "string" && isInside(f))) return undefined;
  return files;
}

function isInside(path: string): boolean {
  return path !== "" && !path.startsWith("/") && !path.split("/").some((part) => part === ".." || part === "." || part === "");
}

/** Every entry under `dir` that is not a directory (files, symlinks, sockets), `/`-separated. */
async function entriesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"));
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The real path of `path`, resolving symlinks in its existing ancestors. */
async function realPathOf(path: string): Promise<string> {
  const parent = dirname(path);
  if (parent === path) return path;
  try {
    return join(await realpath(parent), basename(path));
  } catch {
    return join(await realPathOf(parent), basename(path));
  }
}

/**
 * Refuses an output folder the build must not replace with `files`. `protectedRoot` is the
 * repository: it and every folder above it hold the sources. In a previous build output, a
 * file the marker does not list is foreign unless `files` holds the very same bytes for it
 * (e.g. a generated file merged in from another branch): replacing that loses nothing.
 */
export async function assertReplaceable(outDir: string, protectedRoot: string, files: readonly OutputFile[]): Promise<void> {
  const target = await realPathOf(resolve(outDir));
  const root = await realPathOf(resolve(protectedRoot));
  const shown = outDir;
  if (target === root || root.startsWith(target.endsWith(sep) ? target : target + sep)) {
    throw new OutDirError(`${shown} is the repository or a folder above it: refusing to replace it (choose an empty or new folder, e.g. out/)`);
  }
  const stat = await lstatOrUndefined(resolve(outDir));
  if (!stat) return;
  if (stat.isSymbolicLink()) throw new OutDirError(`${shown} is a symbolic link: the output folder must be a real folder (remove the link)`);
  if (!stat.isDirectory()) throw new OutDirError(`${shown} is not a folder: refusing to replace it`);
  const present = await entriesBelow(outDir);
  if (present.length === 0) return;
  const listed = await readMarker(outDir);
  if (!listed) {
    throw new OutDirError(`${shown} is not empty and is not a previous build output (no ${MARKER_FILE}): refusing to replace it`);
  }
  const ours = new Set([MARKER_FILE, ...listed]);
  const next = new Map(files.map((f) => [f.path, f.content]));
  const foreign: string[] = [];
  for (const path of present.filter((p) => !ours.has(p)).sort()) {
    const same = await readFile(join(outDir, path), "utf8").then(
      (text) => text === next.get(path),
      () => false,
    );
    if (!same) foreign.push(path);
  }
  if (foreign.length) {
    const list = foreign.slice(0, 5).join(", ") + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : "");
    throw new OutDirError(`${shown} holds files the build did not write (${list}): move them away (delete them if they are stale generated files), then build again`);
  }
}

/**
 * Deletes a tree the build wrote: the files its marker lists (and `alsoOwned`: files
 * assertReplaceable accepted as byte-identical to the new build's), the marker last (so an
 * interrupted removal can be finished later), then folders left empty. Anything else stays;
 * returns what was left behind.
 */
export async function removeOwnedTree(dir: string, alsoOwned: readonly string[] = []): Promise<string[]> {
  const listed = [...((await readMarker(dir)) ?? []), ...alsoOwned];
  // Synchronous: thousands of awaited unlinks each wait for a round trip through the thread pool.
  for (const path of listed) unlinkIfPresent(join(dir, path));
  unlinkIfPresent(join(dir, MARKER_FILE));
  removeEmptyFolders(dir);
  return (await lstatOrUndefined(dir)) ? entriesBelow(dir) : [];
}

function removeEmptyFolders(dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) if (entry.isDirectory()) removeEmptyFolders(join(dir, entry.name));
  try {
    rmdirSync(dir);
  } catch {
    // not empty: then it stays
  }
}

function unlinkIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
