// npm run docs: regenerates docs/metrics.md from the metric catalogue.

import { writeFileSync } from "node:fs";
import { metricsDoc } from "../src/build/metrics-doc";

const target = new URL("../docs/metrics.md", import.meta.url);
writeFileSync(target, metricsDoc());
console.log(`wrote ${target.pathname}`);
