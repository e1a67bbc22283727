// Shared `customize` presets: Grafana options several panels use, written once against the SDK builder.

import * as common from "@grafana/grafana-foundation-sdk/common";
import type { Customize } from "./panel";

/** Series stacked on top of each other (shares of a total over time). */
export const stacked: Customize<"timeseries"> = (b) => {
  b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
};

/** Bars instead of lines, for sparse counts where a line would suggest continuity. */
export const bars: Customize<"timeseries"> = (b) => {
  b.fillOpacity(80).drawStyle(common.GraphDrawStyle.Bars);
};
