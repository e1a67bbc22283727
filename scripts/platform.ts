// The platform's own definitions and deployment settings, as the build takes them. Library code
// (src/) never imports the definitions: the scripts pass them in from here.

import { buildConfig } from "../build.config";
import { ruleGroups } from "../alerts";
import { allMetrics } from "../catalogue/metrics";
import { dashboards } from "../dashboards";
import { folders } from "../dashboards/folders";
import type { BuildInput } from "../src/pipeline/generate";

export const platformInput: BuildInput = { dashboards, ruleGroups, alertFolder: folders.alerts, config: buildConfig };

/** What the linter knows as metrics: the catalogue. */
export const platformCatalogue = allMetrics;
