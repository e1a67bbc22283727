// Every PromQL rule: one query that must trip it and one that must not.

import { describe, expect, it } from "vitest";
import { lintQuery } from "../../src/lint/promql/lint";
import { parseTypeMetadata } from "../../src/lint/metadata";
import { defaultOptions } from "../../src/lint/options";
import type { QueryInput } from "../../src/lint/promql/lint";
import { allMetrics } from "../../catalogue/metrics";

const options = defaultOptions(allMetrics);
const dash: QueryInput = { mode: "dashboard", profile: "own", variables: [] };
const rule: QueryInput = { mode: "rule", profile: "own" };
const external: QueryInput = { mode: "rule", profile: "foreign" };

const rulesOf = (q: string, input: QueryInput) => lintQuery(q, input, options).findings.map((f) => f.rule.id);
const messagesOf = (q: string, input: QueryInput, id: string) =>
  lintQuery(q, input, options).findings.filter((f) => f.rule.id === id).map((f) => f.message);

interface Case {
  readonly id: string;
  readonly input: QueryInput;
  readonly bad: string;
  readonly good: string;
}

const cases: Case[] = [
  { id: "syntax", input: external, bad: "sum(rate(foo_total[5m])", good: "sum(rate(foo_total[5m]))" },
  { id: "syntax", input: external, bad: 'foo{a="unterminated}', good: 'foo{a="terminated"}' },
  { id: "types", input: external, bad: "rate(foo_total)", good: "rate(foo_total[5m])" },
  { id: "types", input: external, bad: "sum(rate(foo_total[5m])[5m])", good: "sum(rate(foo_total[5m]))" },
  { id: "types", input: external, bad: "topk(foo, bar)", good: "topk(5, bar)" },
  { id: "types", input: external, bad: "foo + on(a) 1", good: "foo + on(a) bar" },
  { id: "types", input: external, bad: "foo and 1", good: "foo and bar" },
  { id: "types", input: external, bad: "foo + bool bar", good: "foo > bool bar" },
  { id: "types", input: external, bad: "label_replace(foo, dst, \"$1\", \"src\", \"(.*)\")", good: 'label_replace(foo, "dst", "$1", "src", "(.*)")' },
  { id: "types", input: external, bad: "clamp_min(foo)", good: "clamp_min(foo, 0)" },
  { id: "regex-valid", input: external, bad: 'foo{a=~"(x"}', good: 'foo{a=~"(x)"}' },
  { id: "regex-valid", input: external, bad: 'foo{a=~"x(?!y)"}', good: 'foo{a=~"x[^y]"}' },
  { id: "regex-valid", input: external, bad: 'foo{a=~"(a)\\\\1"}', good: 'foo{a=~"(?i)abc"}' },
  { id: "counter-rated", input: external, bad: 'sum(istio_requests_total{reporter="destination"})', good: 'sum(rate(istio_requests_total{reporter="destination"}[5m]))' },
  { id: "counter-rated", input: external, bad: "envoy_cluster_upstream_rq_retry > 0", good: "count(envoy_cluster_upstream_rq_retry)" },
  { id: "counter-rated", input: external, bad: "max(istio_request_duration_milliseconds_bucket)", good: "absent(istio_request_duration_milliseconds_count)" },
  { id: "gauge-not-rated", input: external, bad: "rate(kong_nginx_connections_total[5m])", good: "sum(kong_nginx_connections_total)" },
  { id: "gauge-not-rated", input: external, bad: "increase(kafka_consumergroup_lag[10m])", good: "delta(kafka_consumergroup_lag[10m])" },
  { id: "rate-interval", input: dash, bad: "sum(rate(kong_http_requests_total[5m]))", good: "sum(rate(kong_http_requests_total[$__rate_interval]))" },
  { id: "rate-interval", input: dash, bad: "sum(increase(kong_http_requests_total[$__interval]))", good: "sum(increase(kong_http_requests_total[$__range]))" },
  { id: "rate-range-min", input: rule, bad: "sum(rate(kong_http_requests_total[45s]))", good: "sum(rate(kong_http_requests_total[1m]))" },
  { id: "histogram-le", input: external, bad: "histogram_quantile(0.99, sum by (service) (rate(kong_request_latency_ms_bucket[5m])))", good: "histogram_quantile(0.99, sum by (le, service) (rate(kong_request_latency_ms_bucket[5m])))" },
  { id: "histogram-le", input: external, bad: "histogram_quantile(0.9, sum without (le) (rate(x_bucket[5m])))", good: "histogram_quantile(0.9, sum without (pod) (rate(x_bucket[5m])))" },
  { id: "regexp-hygiene", input: rule, bad: 'foo{a=~"plain"}', good: 'foo{a=~"plain|other"}' },
  { id: "regexp-hygiene", input: rule, bad: 'foo{a=~"^x|y$"}', good: 'foo{a=~"x|y"}' },
  { id: "regexp-hygiene", input: rule, bad: 'foo{a=~".*", b="c"}', good: 'foo{a=~".+", b="c"}' },
  { id: "known-metric", input: rule, bad: "sum(rate(kong_http_request_total[5m]))", good: "sum(rate(kong_http_requests_total[5m]))" },
  { id: "known-metric", input: rule, bad: 'sum(rate(kong_http_requests_total{status="500"}[5m]))', good: 'sum(rate(kong_http_requests_total{code="500"}[5m]))' },
  { id: "known-metric", input: rule, bad: 'sum(rate(kong_bandwidth_bytes{direction="in"}[5m]))', good: 'sum(rate(kong_bandwidth_bytes{direction="ingress"}[5m]))' },
  { id: "impossible", input: external, bad: "sum by (pod) (sum by (namespace) (foo))", good: "sum by (namespace) (sum by (namespace, pod) (foo))" },
  { id: "impossible", input: rule, bad: "sum by (pod) (rate(kong_http_requests_total[5m]))", good: "sum by (service) (rate(kong_http_requests_total[5m]))" },
  { id: "nan-in-agg", input: external, bad: "sum(rate(a_total[5m]) / rate(b_total[5m]))", good: "sum(rate(a_total[5m])) / sum(rate(b_total[5m]))" },
];

describe("PromQL rules", () => {
  for (const c of cases) {
    it(`${c.id}: flags ${c.bad}`, () => {
      expect(rulesOf(c.bad, c.input)).toContain(c.id);
    });
    it(`${c.id}: accepts ${c.good}`, () => {
      expect(rulesOf(c.good, c.input)).not.toContain(c.id);
    });
  }

  it("known-metric only applies to the project's own files", () => {
    expect(rulesOf("sum(rate(not_in_catalogue_total[5m]))", external)).not.toContain("known-metric");
    expect(rulesOf("sum(rate(not_in_catalogue_total[5m]))", rule)).toContain("known-metric");
  });

  it("knows recording rule outputs", () => {
    const opts = defaultOptions(allMetrics, { recordedNames: new Set(["service:istio_requests:rate5m"]) });
    expect(lintQuery("sum(service:istio_requests:rate5m)", rule, opts).findings).toEqual([]);
  });

  it("counter-rated matches on the metric name, not the selector text", () => {
    // dashboard-linter misses this form because the selector text does not end in _total.
    expect(rulesOf('sum(foo_total{job="x"})', external)).toContain("counter-rated");
    expect(rulesOf('sum({__name__="foo_total"})', external)).toContain("counter-rated");
  });

  it("kong_nginx_connections_total is a gauge despite _total", () => {
    expect(rulesOf("sum(kong_nginx_connections_total)", external)).toEqual([]);
  });

  it("reports every syntax error, the end of input included", () => {
    const query = "sum(foo bar) + (";
    const msgs = messagesOf(query, external, "syntax");
    expect(msgs.length).toBeGreaterThanOrEqual(2);
    expect(msgs.at(-1)).toBe(`unexpected end of input at column ${query.length + 1}`);
    expect(messagesOf("", external, "syntax")).toEqual(["empty expression"]);
  });

  it("reports an unterminated string with its column", () => {
    expect(messagesOf('foo{a="b', external, "syntax")).toContain("unterminated string starting at column 7");
  });

  it("names the variable a range came from", () => {
    const [msg] = messagesOf("rate(kong_http_requests_total[$__interval])", dash, "rate-interval");
    expect(msg).toContain("[$__interval]");
  });

  it("reports syntax columns in the original query, not the substituted one", () => {
    const query = "rate(x_total[$__rate_interval]) +";
    const [msg] = messagesOf(query, dash, "syntax");
    expect(msg).toBe(`unexpected end of input at column ${query.length + 1}`); // the variable's text, not its stand-in
    const [col] = messagesOf("rate(x_total[$__rate_interval]) ) + 1", dash, "syntax");
    expect(col).toContain("column 33");
  });

  it("skips regex checks on values with variables", () => {
    expect(rulesOf('sum(rate(kong_http_requests_total{service=~"$service"}[$__rate_interval]))', dash)).toEqual([]);
  });

  it("flags a range vector as the result of a panel", () => {
    expect(rulesOf("kong_datastore_reachable[5m]", dash)).toContain("types");
  });

  it("respects the configured scrape interval", () => {
    const opts = defaultOptions(allMetrics, { scrapeIntervalMs: 60_000 });
    expect(lintQuery("sum(rate(kong_http_requests_total[1m]))", rule, opts).findings.map((f) => f.rule.id)).toContain("rate-range-min");
    expect(lintQuery("sum(rate(kong_http_requests_total[2m]))", rule, opts).findings).toEqual([]);
  });

  it("a clean project-style query has no findings", () => {
    const q =
      'sum by (destination_service_name) (rate(istio_requests_total{reporter="destination", response_code=~"5.."}[$__rate_interval])) / sum by (destination_service_name) (rate(istio_requests_total{reporter="destination"}[$__rate_interval]))';
    expect(lintQuery(q, dash, options).findings).toEqual([]);
  });
});

describe("counter typing from # TYPE metadata", () => {
  const metadata = parseTypeMetadata("# HELP a\n# TYPE workload_manager_active_proxy_count counter\n# TYPE my_queue_total gauge\n# TYPE rpc_duration_seconds histogram\n");
  const withMetadata = defaultOptions(allMetrics, { metadata });
  const ids = (q: string, o = options) => lintQuery(q, external, o).findings.map((f) => f.rule.id);

  it("a name alone is not proof: _count is unknown without metadata, a counter with it", () => {
    expect(ids("workload_manager_active_proxy_count > 0")).not.toContain("counter-rated");
    expect(ids("workload_manager_active_proxy_count > 0", withMetadata)).toContain("counter-rated");
  });

  it("metadata overrides the _total convention, and covers a histogram's series", () => {
    expect(ids("my_queue_total > 0")).toContain("counter-rated");
    expect(ids("my_queue_total > 0", withMetadata)).not.toContain("counter-rated");
    expect(ids("rate(my_queue_total[5m])", withMetadata)).toContain("gauge-not-rated");
    expect(ids("rpc_duration_seconds_count > 0", withMetadata)).toContain("counter-rated");
  });
});
