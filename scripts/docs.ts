// npm run docs: regenerates docs/metrics.md from the metric catalogue and docs/lint-rules.md
// from the lint rule registry (docs/incidents.md: test/incidents/write-doc.ts, run after this).

import { writeFileSync } from "node:fs";
import { metricsDoc } from "../src/compile/metrics-doc";
import { lintRulesDoc } from "../src/lint/rules-doc";
import { platformCatalogue } from "./platform";

for (const [name, text] of [["metrics.md", metricsDoc(platformCatalogue)], ["lint-rules.md", lintRulesDoc()]] as const) {
  const target = new URL(`../docs/${name}`, import.meta.url);
  writeFileSync(target, text);
  console.log(`wrote ${target.pathname}`);
}
