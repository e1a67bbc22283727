// npm run docs: regenerates docs/metrics.md from the metric catalogue, docs/lint-rules.md from
// the lint rule registry, and docs/incidents.md from the incident scenarios (run through
// promtool, which measures the times to detect).

import { writeFileSync } from "node:fs";
import { metricsDoc } from "../src/compile/metrics-doc";
import { lintRulesDoc } from "../src/lint/rules-doc";
import { incidentsDoc } from "../test/incidents/doc";
import { runScenarios } from "../test/incidents/run";
import { scenarios } from "../test/incidents/scenarios";
import { platformCatalogue } from "./platform";

const docs = [
  ["metrics.md", metricsDoc(platformCatalogue)],
  ["lint-rules.md", lintRulesDoc()],
  ["incidents.md", incidentsDoc(scenarios, await runScenarios(scenarios))],
] as const;
for (const [name, text] of docs) {
  const target = new URL(`../docs/${name}`, import.meta.url);
  writeFileSync(target, text);
  console.log(`wrote ${target.pathname}`);
}
