// Writes docs/incidents.md (part of `npm run docs`): runs the incident scenarios through promtool,
// which measures the times to detect. Lives beside the scenarios: scripts never import tests.

import { writeFileSync } from "node:fs";
import { incidentsDoc } from "./doc";
import { runScenarios } from "./run";
import { scenarios } from "./scenarios";

const target = new URL("../../docs/incidents.md", import.meta.url);
writeFileSync(target, incidentsDoc(scenarios, await runScenarios(scenarios)));
console.log(`wrote ${target.pathname}`);
