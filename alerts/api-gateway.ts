// Kong API gateway: authentication, rate limiting, caching and the datastore (seed section 4).

import { metrics as m } from "../catalogue/metrics";
import { quantities as q } from "../catalogue/quantities";
import { thresholds as t } from "../catalogue/thresholds";
import { apiGateway } from "../dashboards/api-gateway";
import { alert, breaches, formatThreshold, recording, value, type RuleGroupDef } from "../src/kit/alert";
import { gauge, rate, sum } from "../src/kit/promql";
import { minimumTraffic } from "./traffic";

/** Kong traffic per service and status code, without route/consumer cardinality. */
export const gatewayRecordings = {
  requests: recording(
    "service_code:kong_http_requests:rate5m",
    sum(rate(m.kong_http_requests_total), { by: ["service", "code", "source"] }),
  ),
} as const;

export const apiGatewayRules: RuleGroupDef = {
  name: "api-gateway",
  rateWindow: "5m",
  labels: { component: "api-gateway" },
  recordings: Object.values(gatewayRecordings),
  alerts: [
    alert({
      name: "HighAuthenticationFailureRate",
      expr: breaches(q.authFailures(), t.authFailuresPerSecond),
      for: "5m",
      severity: "warning",
      summary: "Kong rejects many requests as unauthenticated.",
      description: (l) =>
        `Kong answers ${value.humanize} requests/s to service ${l.service} with 401 (threshold ${formatThreshold(t.authFailuresPerSecond)}): expired JWTs, a rotated key or credential stuffing.`,
      panel: apiGateway.ref.authFailures,
      threshold: t.authFailuresPerSecond,
    }),
    alert({
      name: "RateLimitThresholdReached",
      expr: breaches(q.rateLimited(), t.rateLimitedPerSecond),
      for: "5m",
      severity: "warning",
      summary: "Kong rate limiting blocks requests.",
      description: (l) =>
        `Kong answers ${value.humanize} requests/s to service ${l.service} with 429 (threshold ${formatThreshold(t.rateLimitedPerSecond)}).`,
      panel: apiGateway.ref.rateLimiting,
      threshold: t.rateLimitedPerSecond,
    }),
    alert({
      name: "LowCacheHitRate",
      expr: breaches(q.cacheHitRatio({}, minimumTraffic.cacheLookupsPerSecond), t.cacheHitRatio),
      for: "15m",
      severity: "info",
      summary: "The gateway cache serves too few responses.",
      description: (l) =>
        `Only ${value.percentage} of cacheable responses for service ${l.service} come from the proxy cache (threshold ${formatThreshold(t.cacheHitRatio)}).`,
      panel: apiGateway.ref.cacheHitRate,
      threshold: t.cacheHitRatio,
    }),
    alert({
      name: "KongDatastoreUnreachable",
      // Per Kong instance: the target labels (pod, instance) tell which one.
      expr: breaches(gauge(m.kong_datastore_reachable), t.kongDatastoreReachable),
      for: "1m",
      severity: "critical",
      summary: "Kong cannot reach its PostgreSQL datastore.",
      description: () =>
        `A Kong node reports its datastore unreachable for over a minute (kong_datastore_reachable is ${value.raw}): configuration changes fail and uncached consumers and credentials cannot be loaded.`,
      panel: apiGateway.ref.proxyHealth,
      threshold: t.kongDatastoreReachable,
    }),
  ],
};
