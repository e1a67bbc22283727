// Writes the build's files so that the output folder is always either the old tree or the new
// one. Everything goes to a staging folder beside it; then the old tree is renamed to a fixed
// `.<name>-previous`, the staging folder renamed into place, and the old tree removed. A kill
// between the two renames leaves no output folder but a complete previous tree:
// recoverOutDir (run first by build, push and lint) puts it back.

import { chmod, mkdir, mkdtemp, readdir, rename, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { OutputFile } from "../model/output";
import { assertReplaceable, OutDirError, removeOwnedTree, withMarker } from "./out-dir";

const DIR_MODE = 0o755;
const FILE_MODE = 0o644;

const previousOf = (outDir: string) => join(dirname(outDir), `.${basename(outDir)}-previous`);
const stagingPrefix = (outDir: string) => `.${basename(outDir)}-staging-`;

/** Test hook: `OBS_TEST_CRASH_AT=<step>` kills the process at that step of the swap. */
function crashPoint(step: "staged" | "moved-aside" | "swapped" | "removing-previous"): void {
  if (process.env.OBS_TEST_CRASH_AT === step) process.kill(process.pid, "SIGKILL");
}

/**
 * Finishes or undoes an interrupted write of `outDir`: restores the previous tree when the
 * output folder is missing, removes a previous tree left after a completed swap, and removes
 * staging folders. Returns a line for each thing it did.
 */
export async function recoverOutDir(outDir: string): Promise<string[]> {
  const done: string[] = [];
  const parent = dirname(outDir);
  const previous = previousOf(outDir);
  if (existsSync(previous)) {
    if (!existsSync(outDir)) {
      await rename(previous, outDir);
      done.push(`restored ${basename(outDir)}/ from the tree an interrupted build had moved aside`);
    } else {
      const left = await removeOwnedTree(previous);
      done.push(`removed the previous tree of an interrupted build${left.length ? ` (kept ${previous}: it holds files the build did not write)` : ""}`);
    }
  }
  const entries = existsSync(parent) ? await readdir(parent, { withFileTypes: true }) : [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(stagingPrefix(outDir))) continue;
    const left = await removeOwnedTree(join(parent, entry.name));
    done.push(`removed staging folder ${entry.name}${left.length ? " (kept: it holds files the build did not write)" : ""}`);
  }
  return done;
}

/**
 * Replaces `outDir` with exactly `files` (plus the marker). Refuses (OutDirError, nothing
 * changed) a folder the build did not write, a file, a symlink, `protectedRoot` or a folder above it.
 */
export async function writeOutputs(files: readonly OutputFile[], outDir: string, protectedRoot: string): Promise<void> {
  await recoverOutDir(outDir);
  await assertReplaceable(outDir, protectedRoot, files);
  const parent = dirname(outDir);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, stagingPrefix(outDir)));
  try {
    await chmod(staging, DIR_MODE);
    // The marker comes first, so a staging folder cut short is still recognised as ours.
    for (const file of withMarker(files)) {
      const target = join(staging, file.path);
      await mkdir(dirname(target), { recursive: true, mode: DIR_MODE });
      await writeFile(target, file.content, { mode: FILE_MODE });
      await chmod(target, FILE_MODE); // whatever the umask
    }
    await chmodFolders(staging);
  } catch (error) {
    await removeOwnedTree(staging);
    throw error;
  }
  crashPoint("staged");
  const previous = previousOf(outDir);
  if (existsSync(previous)) {
    await removeOwnedTree(staging);
    throw new OutDirError(`${previous} holds files the build did not write, left by an interrupted build: move them away, then build again`);
  }
  const hadPrevious = existsSync(outDir);
  if (hadPrevious) await rename(outDir, previous);
  crashPoint("moved-aside");
  await rename(staging, outDir);
  crashPoint("swapped");
  if (hadPrevious) {
    crashPoint("removing-previous");
    // assertReplaceable accepted every file there: listed by its marker or identical to one of `files`.
    await removeOwnedTree(previous, files.map((f) => f.path));
  }
}

async function chmodFolders(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) if (entry.isDirectory()) await chmod(join(entry.parentPath, entry.name), DIR_MODE);
}
