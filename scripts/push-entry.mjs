// Entry for `npm run push`. Takes the credentials out of the process environment before anything
// else starts, so no child process inherits them: not git, and not the esbuild process that the
// TypeScript loader (tsx) starts on its first transform. Plain JavaScript because the loader is
// not registered yet when this file runs.
import { register } from "tsx/esm/api";

const env = { ...process.env };
for (const name of ["GRAFANA_TOKEN", "GRAFANA_PASSWORD"]) delete process.env[name];
register();
const { runCli } = await import("./push.ts");
process.exitCode = await runCli(env);
