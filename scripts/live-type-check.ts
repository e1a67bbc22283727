// The type checker `npm run dev` keeps running between saves: TypeScript 7's API server
// (`tsc --api`, through typescript@7's `unstable/async` client) holds the program, so a check
// after a save re-reads only the files that changed instead of parsing all 655 again in a new
// compiler process (0.5–0.9 s per save). We tell it which files changed (its own file watcher
// relies on fanotify, which watches nothing in some places, e.g. under /tmp here).
// Errors are reported as the compiler's command line reports them: file:line:column - error TSn.

import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { API, DiagnosticCategory, type Diagnostic, type Snapshot } from "typescript-native/unstable/async";
import { compilerPath } from "./build-support.mjs";

export interface TypeCheckResult {
  readonly ok: boolean;
  /** The errors, one `file:line:column - error TSn: message` block each (empty when ok). */
  readonly output: string;
}

/**
 * What changed since the last check (absolute paths): files written in place, files that appeared
 * (created, or replaced by an editor's save-and-rename) and files gone; or something the server
 * cannot be told precisely (a folder added or removed), which reloads the project.
 */
export type Changes = { readonly changed: readonly string[]; readonly created: readonly string[]; readonly deleted: readonly string[] } | "reload";

export class LiveTypeCheck {
  private api: API | undefined;
  private snapshot: Snapshot | undefined;
  private readonly project: string;

  /** Checks `project` (relative to repoRoot); the server starts with the first check. */
  constructor(
    private readonly repoRoot: string,
    project = "tsconfig.build.json",
  ) {
    this.project = resolve(repoRoot, project);
  }

  async check(changes: Changes): Promise<TypeCheckResult> {
    const previous = this.snapshot;
    if (!this.api || !previous || changes === "reload") {
      // Reopening a project in a running server does not look for new files: start afresh.
      await this.close();
      this.api = new API({ cwd: this.repoRoot, tsserverPath: compilerPath(this.repoRoot) });
      this.snapshot = await this.api.updateSnapshot({ openProjects: [this.project] });
    } else {
      // A file both changed and created covers a save that replaces the file (its content must be re-read).
      const { changed, created, deleted } = changes;
      this.snapshot = await this.api.updateSnapshot({ fileChanges: { changed: [...changed, ...created], created: [...created], deleted: [...deleted] } });
      await previous.dispose();
    }
    const program = this.snapshot.getProject(this.project)?.program;
    if (!program) throw new Error(`the type checker did not load ${relative(this.repoRoot, this.project)}`);
    const lists = await Promise.all([
      program.getConfigFileParsingDiagnostics(),
      program.getProgramDiagnostics(),
      program.getGlobalDiagnostics(),
      program.getSyntacticDiagnostics(),
      program.getSemanticDiagnostics(),
    ]);
    const errors = lists.flat().filter((d) => d.category === DiagnosticCategory.Error);
    return { ok: errors.length === 0, output: errors.map((d) => this.format(d)).join("\n\n") };
  }

  async close(): Promise<void> {
    const api = this.api;
    this.api = undefined;
    this.snapshot = undefined;
    await api?.close();
  }

  /** As `tsc --pretty false` would, with the line of code under it: `file:line:col - error TSn: text`. */
  private format(diagnostic: Diagnostic): string {
    const message = [diagnostic.text, ...chain(diagnostic.messageChain ?? [], 1)].join("\n");
    if (!diagnostic.fileName) return `error TS${diagnostic.code}: ${message}`;
    const file = relative(this.repoRoot, diagnostic.fileName);
    let text: string;
    try {
      text = readFileSync(join(this.repoRoot, file), "utf8");
    } catch {
      return `${file} - error TS${diagnostic.code}: ${message}`;
    }
    // Positions count UTF-16 code units, as JavaScript strings do.
    const lineStart = text.lastIndexOf("\n", diagnostic.pos - 1) + 1;
    const line = text.slice(0, lineStart).split("\n").length;
    const column = diagnostic.pos - lineStart + 1;
    const lineEnd = text.indexOf("\n", lineStart);
    const code = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
    const width = Math.max(1, Math.min(diagnostic.end, lineEnd === -1 ? text.length : lineEnd) - diagnostic.pos);
    const gutter = String(line);
    return `${file}:${line}:${column} - error TS${diagnostic.code}: ${message}\n\n${gutter} ${code}\n${" ".repeat(gutter.length)} ${" ".repeat(column - 1)}${"~".repeat(width)}`;
  }
}

/** The elaboration under a message ("Type 'x' is not assignable..."), indented by depth. */
function chain(messages: readonly Diagnostic[], depth: number): string[] {
  return messages.flatMap((m) => [`${"  ".repeat(depth)}${m.text}`, ...chain(m.messageChain ?? [], depth + 1)]);
}
