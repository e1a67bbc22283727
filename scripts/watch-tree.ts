// File events under some folders (with their subfolders) and files, for `npm run dev`. One
// non-recursive watch per folder: Node 20's `recursive: true` on Linux watches each file by
// itself and goes deaf to a file once an editor saves it by renaming a new file over it
// (JetBrains' "safe write"), reporting nothing for it afterwards, not even later in-place writes.

import { readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname, join, sep } from "node:path";

export type FileEvent = "change" | "rename";

/**
 * Calls `onEvent(path, event)` for every change under `roots` (absolute paths of folders or
 * files). A path that is a folder, or `event` for a folder whose listing was lost, asks the
 * caller to look at everything again.
 */
export function watchTree(roots: readonly string[], onEvent: (path: string, event: FileEvent) => void): { close(): void } {
  const watchers = new Map<string, FSWatcher>();

  /** Watches `dir`, its subfolders too when `only` is not given, else only the file named `only`. */
  function watchFolder(dir: string, only?: string): void {
    const key = only === undefined ? dir : join(dir, only);
    if (watchers.has(key)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (event, name) => {
        if (name === null) return onEvent(dir, "rename");
        if (only !== undefined && name !== only) return;
        const path = join(dir, name);
        if (event === "rename" && only === undefined) {
          if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) watchFolder(path);
          else unwatchUnder(path);
        }
        onEvent(path, event);
      });
    } catch {
      return; // gone before it could be watched: its parent's event reports it
    }
    watcher.on("error", () => unwatchUnder(key));
    watchers.set(key, watcher);
    if (only !== undefined) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) watchFolder(join(dir, entry.name));
  }

  function unwatchUnder(path: string): void {
    for (const [key, watcher] of watchers) {
      if (key === path || key.startsWith(path + sep)) {
        watcher.close();
        watchers.delete(key);
      }
    }
  }

  for (const root of roots) {
    if (statSync(root).isDirectory()) watchFolder(root);
    else watchFolder(dirname(root), basename(root));
  }
  return {
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
