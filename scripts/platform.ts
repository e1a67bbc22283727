// The platform's own definitions and deployment settings, as the build takes them. Library code
// (src/) never imports the definitions: the scripts pass them in from here.

import { buildConfig } from "../build.config";
import { inhibitions, ruleGroups } from "../alerts";
import { allMetrics } from "../catalogue/metrics";
import { dashboards } from "../dashboards";
import { folders } from "../dashboards/folders";
import { loadConfig } from "../src/lint/config";
import type { BuildInput } from "../src/pipeline/generate";

export const platformInput: BuildInput = {
  dashboards,
  ruleGroups,
  inhibitions,
  alertFolder: folders.alerts,
  config: buildConfig,
  catalogue: allMetrics,
  lint: loadConfig(new URL("../lint.config.yaml", import.meta.url).pathname, false),
};

/** What the linter knows as metrics: the catalogue. */
export const platformCatalogue = allMetrics;
