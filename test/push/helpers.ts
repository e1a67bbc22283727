import { GrafanaClient, type ClientSettings } from "../../src/grafana/client";
import type { HttpOptions } from "../../src/grafana/http";
import type { GrafanaDouble } from "./grafana-double";

export const TOKEN = "glsa_test_token_0123456789abcdef";

/** Fast retry timings so fault tests stay quick; Retry-After from the double still applies. */
export const FAST_RETRY = { retries: 10, minDelayMs: 5, maxDelayMs: 50, totalTimeMs: 20_000 };

export function clientFor(double: GrafanaDouble, overrides: Partial<HttpOptions> = {}, settings: ClientSettings = {}): GrafanaClient {
  return new GrafanaClient({
    baseUrl: double.url,
    auth: { kind: "token", token: TOKEN },
    requestTimeoutMs: 5_000,
    retry: FAST_RETRY,
    ...overrides,
  }, settings);
}
