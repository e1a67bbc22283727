// A real Prometheus (Debian's) serving synthetic series for every catalogue metric: the data
// is written as OpenMetrics and backfilled with promtool before the server starts.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AnyMetric } from "../../../src/model/metric";
import { requireTool, runPromtool, startPrometheus, type RunningPrometheus } from "../prometheus";
import { generateOpenMetrics, type SyntheticOptions } from "./openmetrics";

/** 70 minutes of 30 s samples ending on a whole minute a little in the past (the head stays empty). */
export function syntheticWindow(now = Date.now()): SyntheticOptions {
  const end = Math.floor(now / 60_000) * 60 - 120;
  return { start: end - 70 * 60, end, step: 30 };
}

export async function startSyntheticPrometheus(
  metrics: readonly AnyMetric[],
  window: SyntheticOptions,
): Promise<{ prometheus: RunningPrometheus; seriesCount: number }> {
  requireTool("promtool");
  requireTool("prometheus");
  let seriesCount = 0;
  const prometheus = await startPrometheus({
    prepare: (dataDir) => {
      const data = generateOpenMetrics(metrics, window);
      seriesCount = data.seriesCount;
      const file = join(dataDir, "..", "synthetic.om.txt");
      writeFileSync(file, data.text);
      runPromtool(["tsdb", "create-blocks-from", "openmetrics", "--quiet", file, dataDir]);
    },
  });
  return { prometheus, seriesCount };
}
