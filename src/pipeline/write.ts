// Writes the build's files so that the output folder is always either the old tree or the new
// one. Everything goes to a staging folder beside it; then the old tree is renamed to a fixed
// `.<name>-previous`, the staging folder renamed into place, and the old tree removed. A kill
// between the two renames leaves no output folder but a complete previous tree:
// recoverOutDir (run first by build, push and lint) puts it back. Files the old tree already
// holds byte for byte are hard-linked into the staging folder rather than written (write-tree.ts).

import { readdir, rename } from "node:fs/promises";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { OutputFile } from "../model/output";
import { assertReplaceable, OutDirError, removeOwnedTree, withMarker } from "./out-dir";
import { writeTree } from "./write-tree";

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
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, stagingPrefix(outDir)));
  try {
    // The marker comes first, so a staging folder cut short is still recognised as ours.
    // assertReplaceable accepted outDir: every file there is ours, so its unchanged files are reused.
    writeTree(staging, withMarker(files), existsSync(outDir) ? outDir : undefined);
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
