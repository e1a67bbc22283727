// Minimum traffic below which ratio and latency alerts stay silent: a handful of requests
// makes a percentage or a p99 meaningless (one 5xx out of two requests is not "50 % errors").
// Not thresholds drawn on panels, so they live here rather than in catalogue/thresholds.ts.

export const minimumTraffic = {
  /** Requests/s a service must receive (300 per 5 minutes) before its error ratio or p99 counts. */
  serviceRequestsPerSecond: 1,
  /** Upstream requests/s an Envoy cluster must send before its retry ratio counts. */
  clusterRequestsPerSecond: 1,
  /** Cache lookups/s a service must see before its hit ratio counts. */
  cacheLookupsPerSecond: 1,
} as const;
