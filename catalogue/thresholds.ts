// Thresholds shared by alert rules and the panels that draw them: one constant, two uses.

import { deployment } from "../build.config";
import { above, atLeast, below, type Threshold } from "../src/kit/threshold";

export type { Threshold };

export const thresholds = {
  /** HighServiceErrorRate and ServiceErrorsSeenByCallers: share of 5xx responses per service. */
  serviceErrorRatio: above(0.05, "percentunit"),
  /** ServiceUnreachable: share of callers' requests that found no endpoint of the service. */
  unreachableRatio: above(0.5, "percentunit"),
  /** HighServiceLatency: p99 request latency per service, milliseconds. */
  serviceLatencyP99Ms: above(1000, "ms"),
  /** PlaintextTrafficInMesh: requests/s received without mTLS while STRICT is the rule. */
  plaintextRequestsPerSecond: above(0, "reqps"),
  /** Drawn on mTLS Status: services whose plaintext rate breaches plaintextRequestsPerSecond. */
  plaintextServices: atLeast(1, "short"),
  /** CircuitBreakerTriggered: open breakers or ejected hosts of an upstream cluster. */
  trippedClusters: atLeast(1, "short"),
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
  /** KafkaBrokerDown: brokers the cluster should have (build.config.ts); fewer means one is down. */
  kafkaExpectedBrokers: below(deployment.kafkaBrokers, "short"),
  /** KafkaClusterDown: no broker answers. */
  kafkaBrokersUp: below(1, "short"),
  /** KongDown: no Kong node answers. */
  kongNodesUp: below(1, "short"),
  /** KafkaUnderReplicatedPartitions: partitions led by a broker that miss in-sync replicas. */
  underReplicatedPartitions: atLeast(1, "short"),
  /** KafkaOfflinePartitions: partitions without a leader, cluster-wide. */
  offlinePartitions: atLeast(1, "short"),
  /** KongDatastoreUnreachable: every Kong node reports its datastore reachable (1). */
  kongDatastoreReachable: below(1, "bool"),
  /** Upstream targets Kong's health checks mark unhealthy (drawn on Kong Proxy Health). */
  unhealthyUpstreamTargets: atLeast(1, "short"),
} as const satisfies Record<string, Threshold>;

export type ThresholdName = keyof typeof thresholds;
