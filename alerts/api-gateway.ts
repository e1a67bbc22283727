// Kong API gateway: authentication, rate limiting, caching and the datastore (seed section 4).

import { metrics as m } from "../catalogue/metrics";
import { quantities as q } from "../catalogue/quantities";
import { thresholds as t } from "../catalogue/thresholds";
import { apiGateway } from "../dashboards/api-gateway";
import { alert, breaches, formatThreshold, recording, value, type RuleGroupDef } from "../src/kit/alert";
import { absent, and, current, gt, rate, sum } from "../src/kit/promql";
import { minimumTraffic } from "./traffic";

/** Kong traffic per service and status code, without route/consumer cardinality. */
export const gatewayRecordings = {
  requests: recording(
    "service_code:kong_http_requests:rate5m",
    sum(rate(m.kong_http_requests_total), { by: ["service", "code", "source"] }),
  ),
} as const;

export const gatewayAlerts = {
  kongDown: alert({
    name: "KongDown",
    expr: breaches(q.kongNodesUp(), t.kongNodesUp),
    for: "2m",
    severity: "critical",
    summary: "No Kong node answers: the API gateway is down.",
    description: () =>
      `No Kong node answers Prometheus's scrape (${value.raw} up): every API behind the gateway is unreachable from outside.`,
    panel: apiGateway.ref.proxyHealth,
    threshold: t.kongNodesUp,
  }),
  highAuthenticationFailureRate: alert({
    name: "HighAuthenticationFailureRate",
    expr: breaches(q.authFailures(), t.authFailuresPerSecond),
    for: "2m",
    severity: "warning",
    summary: "Kong rejects many requests as unauthenticated.",
    description: (l) =>
      `Kong answers ${value.humanize} requests/s to service ${l.service} with 401 (threshold ${formatThreshold(t.authFailuresPerSecond)}): expired JWTs, a rotated key or credential stuffing.`,
    panel: apiGateway.ref.authFailures,
    threshold: t.authFailuresPerSecond,
  }),
  rateLimitThresholdReached: alert({
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
  lowCacheHitRate: alert({
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
  kongDatastoreUnreachable: alert({
    name: "KongDatastoreUnreachable",
    // Per Kong instance: the target labels (pod, instance) tell which one.
    expr: breaches(current(m.kong_datastore_reachable), t.kongDatastoreReachable),
    for: "1m",
    severity: "critical",
    summary: "Kong cannot reach its PostgreSQL datastore.",
    description: () =>
      `A Kong node reports its datastore unreachable for over a minute (kong_datastore_reachable is ${value.raw}): configuration changes fail and uncached consumers and credentials cannot be loaded.`,
    panel: apiGateway.ref.proxyHealth,
    threshold: t.kongDatastoreReachable,
  }),
  kongStatusMetricsMissing: alert({
    name: "KongStatusMetricsMissing",
    guards: "kong-status-code-metrics",
    // Only while Kong runs: Kong down is KongDown.
    expr: and(absent(m.kong_http_requests_total), gt(q.kongNodesUp(), 0)),
    for: "15m",
    severity: "warning",
    summary: "Kong runs but reports no request metrics.",
    description: () =>
      "Kong answers scrapes but exposes no kong_http_requests_total for 15 minutes: the prometheus plugin is missing or its status_code_metrics option is off, so HighAuthenticationFailureRate and RateLimitThresholdReached cannot fire.",
    panel: apiGateway.ref.requests,
  }),
  gatewayCacheMetricsMissing: alert({
    name: "GatewayCacheMetricsMissing",
    guards: "platform-gateway-cache",
    expr: and(absent(m.carbon_gateway_cache_responses_total), gt(q.kongNodesUp(), 0)),
    for: "15m",
    severity: "warning",
    summary: "Kong runs but the platform's cache metric is missing.",
    description: () =>
      "Kong answers scrapes but no carbon_gateway_cache_responses_total series exists for 15 minutes: the platform's cache-logging plugin is not installed on the cached routes, so LowCacheHitRate cannot fire.",
    panel: apiGateway.ref.cacheHitRate,
  }),
} as const;

export const apiGatewayRules: RuleGroupDef = {
  name: "api-gateway",
  rateWindow: "5m",
  labels: { component: "api-gateway" },
  recordings: Object.values(gatewayRecordings),
  alerts: Object.values(gatewayAlerts),
};
