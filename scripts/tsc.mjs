// @ts-check
// `node scripts/tsc.mjs -p .`: TypeScript 7's native compiler with the given arguments (the
// `tsc` that npm links is TypeScript 5, kept for dependency-cruiser and the schema generator).

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { compilerPath } from "./build-support.mjs";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const { status, error } = spawnSync(compilerPath(repoRoot), process.argv.slice(2), { stdio: "inherit" });
if (error) console.error(`cannot run TypeScript 7's compiler: ${error.message}`);
process.exitCode = status ?? 1;
