// `# TYPE name type` lines of a Prometheus or OpenMetrics exposition (what a target's /metrics
// page or `promtool` prints): the only evidence, besides the catalogue, that a metric is a counter.

/** A metric type as `# TYPE` metadata declares it. */
export type MetadataType = "counter" | "gauge" | "histogram" | "summary" | "gaugehistogram" | "info" | "stateset" | "unknown" | "untyped";

const TYPES: ReadonlySet<string> = new Set<MetadataType>(["counter", "gauge", "histogram", "summary", "gaugehistogram", "info", "stateset", "unknown", "untyped"]);
const isMetadataType = (t: string): t is MetadataType => TYPES.has(t);

export function parseTypeMetadata(text: string): Map<string, MetadataType> {
  const types = new Map<string, MetadataType>();
  for (const m of text.matchAll(/^#\s+TYPE\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s+(\w+)\s*$/gm)) {
    const type = m[2]!.toLowerCase();
    if (isMetadataType(type)) types.set(m[1]!, type);
  }
  return types;
}
