// Types of scripts/build-support.mjs.
export declare const CACHE_DIR: string;
export declare const USAGE: string;
export declare const BUNDLE_OPTIONS: import("esbuild").BuildOptions;
export declare function ownImportMetaUrl(repoRoot: string): import("esbuild").Plugin;
export declare function compilerPath(repoRoot: string): string;
export declare function outDirOf(argv: readonly string[], repoRoot: string): string;
export declare function startTypeCheck(repoRoot: string, project?: string): Promise<{ ok: boolean; output: string }>;
