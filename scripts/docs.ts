// npm run docs: regenerates docs/metrics.md from the metric catalogue, and docs/incidents.md
// from the incident scenarios (run through promtool, which measures the times to detect).

import { writeFileSync } from "node:fs";
import { metricsDoc } from "../src/build/metrics-doc";
import { incidentsDoc } from "../test/incidents/doc";
import { runScenarios } from "../test/incidents/run";
import { scenarios } from "../test/incidents/scenarios";

const metricsTarget = new URL("../docs/metrics.md", import.meta.url);
writeFileSync(metricsTarget, metricsDoc());
console.log(`wrote ${metricsTarget.pathname}`);

const incidentsTarget = new URL("../docs/incidents.md", import.meta.url);
writeFileSync(incidentsTarget, incidentsDoc(scenarios, await runScenarios(scenarios)));
console.log(`wrote ${incidentsTarget.pathname}`);
