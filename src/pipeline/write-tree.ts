// Writes a staging tree quickly. Creating a file is the costly step on a loaded disk (about half
// a millisecond each here, against tens of microseconds to compare or hard-link one), and a
// rebuild mostly reproduces files the previous output already holds byte for byte: such a file
// is hard-linked from there instead of created. Every byte is still compared, so the staging tree
// is exactly the new build whatever the previous tree holds. The calls are synchronous (thousands
// of awaited calls each wait for a round trip through libuv's thread pool) and go through two
// reused buffers, so thousands of files allocate no memory each.

import { chmodSync, closeSync, constants, fchmodSync, fstatSync, linkSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { OutputFile } from "../model/output";

const DIR_MODE = 0o755;
const FILE_MODE = 0o644;

/** A reusable buffer that grows to the largest file seen. */
class Scratch {
  private buffer = Buffer.alloc(0);
  /** A view of at least `length` bytes, valid until the next call. */
  of(length: number): Buffer {
    if (this.buffer.length < length) this.buffer = Buffer.allocUnsafeSlow(Math.max(length, 2 * this.buffer.length));
    return this.buffer.subarray(0, length);
  }
}

const encoded = new Scratch();
const previousBytes = new Scratch();

function encode(text: string): Buffer {
  const bytes = encoded.of(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/**
 * Whether `path` is a regular file (not a symlink), named only there (one link: hard-linking or
 * chmod-ing it touches nothing outside the tree) and holding exactly `bytes`.
 */
function holdsExactly(path: string, bytes: Buffer): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.nlink !== 1 || st.size !== bytes.length) return false;
    const old = previousBytes.of(bytes.length);
    for (let done = 0, n; done < old.length; done += n) if ((n = readSync(fd, old, done, old.length - done, done)) === 0) return false;
    return old.equals(bytes);
  } finally {
    closeSync(fd);
  }
}

function linked(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch {
    return false; // another file system, or links unsupported: write it instead
  }
}

function create(path: string, bytes: Buffer): void {
  const fd = openSync(path, "wx", FILE_MODE);
  try {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    fchmodSync(fd, FILE_MODE); // whatever the umask
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `files` in order into the empty folder `root`, 0755/0644 whatever the umask. A file that
 * `previous` (an earlier output of the build, or undefined) holds with the very same bytes is
 * hard-linked from there.
 */
export function writeTree(root: string, files: readonly OutputFile[], previous: string | undefined): void {
  const folders = new Set<string>();
  const folder = (dir: string): void => {
    if (folders.has(dir)) return;
    folders.add(dir);
    if (dir !== root) {
      folder(dirname(dir));
      mkdirSync(dir);
    }
    chmodSync(dir, DIR_MODE);
  };
  for (const file of files) {
    const target = join(root, file.path);
    folder(dirname(target));
    const bytes = encode(file.content);
    const old = previous === undefined ? undefined : join(previous, file.path);
    if (old !== undefined && holdsExactly(old, bytes) && linked(old, target)) chmodSync(target, FILE_MODE);
    else create(target, bytes);
  }
}
