// Generates src/model/grafana-units.ts: every unit id Grafana knows (@grafana/data's
// getValueFormats(), what its unit picker offers), as a list and a type. The kit types panel
// units with it and the build checks compiled dashboards against it, without loading
// @grafana/data (177 MB, ~0.4 s) at build time.
// Run after upgrading @grafana/data:  npm run generate:units
// The file is committed; a test fails when it no longer matches a fresh generation.

import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { grafanaUnitIds } from "./grafana-data";

function unitsModule(ids: readonly string[], version: string): string {
  const lines = ids.map((id) => `  ${JSON.stringify(id)},`);
  return [
    `// Generated from @grafana/data ${version} getValueFormats() by scripts/generate-units.ts: do not edit.`,
    "export const grafanaUnits = [",
    ...lines,
    "] as const;",
    "",
    "/** A unit id Grafana knows. */",
    "export type GrafanaUnit = (typeof grafanaUnits)[number];",
    "",
  ].join("\n");
}

const { version } = createRequire(import.meta.url)("@grafana/data/package.json") as { version: string };
// --out lets a test regenerate elsewhere and compare with the committed file.
const { values } = parseArgs({ options: { out: { type: "string" } }, strict: true });
const target = values.out ? resolve(values.out) : new URL("../src/model/grafana-units.ts", import.meta.url).pathname;
const ids = grafanaUnitIds();
writeFileSync(target, unitsModule(ids, version));
console.log(`wrote ${target} (${ids.length} unit ids)`);
