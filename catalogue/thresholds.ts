// Thresholds shared by alert rules and the panels that draw them: one constant, two uses.

export interface Threshold {
  /** The boundary value, in the panel's unit. */
  readonly value: number;
  /** Grafana unit of `value` ("percentunit" for ratios 0..1). */
  readonly unit: string;
  /** Which side is bad: "above" alerts when the quantity exceeds `value`. */
  readonly bad: "above" | "below";
}

const above = (value: number, unit: string): Threshold => ({ value, unit, bad: "above" });
const below = (value: number, unit: string): Threshold => ({ value, unit, bad: "below" });

export const thresholds = {
  /** HighServiceErrorRate: share of 5xx responses per service. */
  serviceErrorRatio: above(0.05, "percentunit"),
  /** HighServiceLatency: p99 request latency per service, milliseconds. */
  serviceLatencyP99Ms: above(1000, "ms"),
  /** PlaintextTrafficInMesh: requests/s received without mTLS while STRICT is the rule. */
  plaintextRequestsPerSecond: above(0, "reqps"),
  /** CircuitBreakerTriggered: upstream clusters with an open breaker or an ejected host. */
  trippedClusters: above(0, "short"),
  /** HighRetryRate: retries as a share of upstream requests per cluster. */
  retryRatio: above(0.1, "percentunit"),
  /** HighAuthenticationFailureRate: 401s answered by Kong, per second. */
  authFailuresPerSecond: above(10, "reqps"),
  /** RateLimitThresholdReached: 429s answered by Kong, per second per service. */
  rateLimitedPerSecond: above(1, "reqps"),
  /** LowCacheHitRate: share of cache lookups that hit. */
  cacheHitRatio: below(0.5, "percentunit"),
  /** HighConsumerLag: messages behind, per consumer group and topic. */
  consumerLagMessages: above(10_000, "short"),
  /** FailedEventDeliveries: failed deliveries per second, per producer and topic. */
  failedEventDeliveriesPerSecond: above(0, "short"),
  /** KafkaBrokerDown: brokers the cluster should have; fewer means one is down. */
  kafkaExpectedBrokers: below(3, "short"),
} as const satisfies Record<string, Threshold>;

export type ThresholdName = keyof typeof thresholds;
