// 254Carbon API Gateway (Kong): traffic, status codes, latency, rate limiting, consumers,
// bandwidth, JWT authentication failures, proxy health and cache hit rate.
// Panels in the design document's order (section 4). Their ids are explicit, kept from when they
// followed that order; a new panel may go anywhere and takes its id from its key.

import { metrics as m } from "../catalogue/metrics";
import { quantities } from "../catalogue/quantities";
import { thresholds } from "../catalogue/thresholds";
import { dashboard, labelVariable } from "../src/kit/dashboard";
import { barGauge, pieChart, query, stat, timeSeries } from "../src/kit/panel";
import { count, eq, current, histogramQuantile, increase, matches, max, min, notEqual, orZero, rate, sum, topk } from "../src/kit/promql";
import { folders } from "./folders";

const service = labelVariable("service", "Kong service", m.kong_http_requests_total, "service");
const services = { service: service.match };
const serviceLegend = { legend: (l: { service: string }) => l.service };

export const apiGateway = dashboard({
  uid: "api-gateway",
  title: "254Carbon API Gateway (Kong)",
  description: "Kong 3.x gateway: requests, response codes, latency, rate limiting, consumers, bandwidth, JWT failures, proxy health and cache hit rate.",
  tags: ["254carbon", "kong", "api-gateway"],
  folder: folders.apiGateway,
  variables: [service],
  panels: {
    requests: timeSeries({
      id: 1,
      title: "Total API Requests",
      description: "Requests per second through Kong, by Kong service.",
      unit: "reqps",
      targets: [query(sum(rate(m.kong_http_requests_total, services), { by: ["service"] }), serviceLegend)],
    }),
    responseCodes: pieChart({
      id: 2,
      title: "API Response Codes",
      description: "Responses by HTTP status code over the selected time range.",
      unit: "short",
      size: { w: 6, h: 8 },
      targets: [query(sum(increase(m.kong_http_requests_total, services, "range"), { by: ["code"] }), { instant: true, legend: (l) => l.code })],
    }),
    latencyP99: timeSeries({
      id: 3,
      title: "API Latency P99",
      description: "99th percentile of total request latency in Kong (proxy plus upstream), by service.",
      unit: "ms",
      size: { w: 6, h: 8 },
      targets: [query(histogramQuantile(0.99, m.kong_request_latency_ms, { by: ["service"], where: services }), serviceLegend)],
    }),
    rateLimiting: timeSeries({
      id: 4,
      title: "Rate Limiting - Requests Blocked",
      description: "Requests per second Kong rejected with 429 (rate limiting), by service. The dashed line is the RateLimitThresholdReached alert threshold.",
      unit: "reqps",
      threshold: thresholds.rateLimitedPerSecond,
      targets: [query(quantities.rateLimited(services), serviceLegend)],
    }),
    topConsumers: barGauge({
      id: 5,
      title: "Top Consumers by Request Count",
      description:
        "The ten JWT consumers with the most requests over the selected range (needs the prometheus plugin's per_consumer option). Requests without an authenticated consumer (consumer=\"\") are left out.",
      unit: "short",
      targets: [
        query(topk(10, sum(increase(m.kong_http_requests_total, { ...services, consumer: notEqual("") }, "range"), { by: ["consumer"] })), {
          instant: true,
          legend: (l) => l.consumer,
        }),
      ],
    }),
    bandwidth: timeSeries({
      id: 6,
      title: "Bandwidth Usage",
      description: "Bytes per second through Kong, ingress (client to Kong) and egress (Kong to client).",
      unit: "Bps",
      targets: [query(sum(rate(m.kong_bandwidth_bytes, services), { by: ["direction"] }), { legend: (l) => l.direction })],
    }),
    authFailures: timeSeries({
      id: 7,
      title: "Authentication Failures",
      description: "401 responses Kong itself answered (missing, invalid or expired JWT), per second by service. The dashed line is the HighAuthenticationFailureRate alert threshold.",
      unit: "reqps",
      threshold: thresholds.authFailuresPerSecond,
      targets: [query(quantities.authFailures(services), serviceLegend)],
    }),
    proxyHealth: stat({
      id: 8,
      title: "Kong Proxy Health",
      description:
        "Whether every Kong node reaches its datastore, active client connections, upstream targets that any Kong node's health checks find unhealthy or cannot resolve (dns_error; 0 when none), and Kong nodes answering Prometheus's scrape (red at 0: KongDown).",
      unit: "short",
      targets: [
        query(min(current(m.kong_datastore_reachable)), { legend: () => "datastore reachable", threshold: thresholds.kongDatastoreReachable, unit: "bool" }),
        query(sum(current(m.kong_nginx_connections_total, { state: "active" })), { legend: () => "active connections", threshold: null }),
        // Every Kong node reports every target: a target counts once, if any node sees it failing.
        query(orZero(count(eq(max(current(m.kong_upstream_target_health, { state: matches("unhealthy|dns_error") }), { by: ["upstream", "target"] }), 1))), {
          legend: () => "unhealthy targets",
          threshold: thresholds.unhealthyUpstreamTargets,
        }),
        query(quantities.kongNodesUp(), { legend: () => "Kong nodes up", threshold: thresholds.kongNodesUp }),
      ],
    }),
    cacheHitRate: timeSeries({
      id: 9,
      title: "Cache Hit Rate",
      description:
        "Share of cacheable responses served from Kong's proxy cache, by service. Kong has no cache metric: this reads the platform's carbon_gateway_cache_responses_total (see README). The dashed line is the LowCacheHitRate alert threshold.",
      unit: "percentunit",
      threshold: thresholds.cacheHitRatio,
      targets: [query(quantities.cacheHitRatio(services), serviceLegend)],
    }),
  },
});
