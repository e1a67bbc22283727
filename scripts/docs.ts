// npm run docs: regenerates docs/metrics.md from the metric catalogue.

import { writeFileSync } from "node:fs";
import { metricsDoc } from "../src/compile/metrics-doc";
import { platformCatalogue } from "./platform";

const target = new URL("../docs/metrics.md", import.meta.url);
writeFileSync(target, metricsDoc(platformCatalogue));
console.log(`wrote ${target.pathname}`);
