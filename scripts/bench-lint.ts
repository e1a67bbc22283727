// npm run bench:lint: PromQL expressions linted per second (budget: at least 20,000/s).
// Lints a mix of realistic dashboard and rule queries, plus every target of out/ when present.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lintQuery, type QueryInput } from "../src/lint/promql/lint";
import { defaultOptions } from "../src/lint/options";
import { platformCatalogue } from "./platform";
import { describeRuns, exitWithVerdict, judgeValue, median, pairedRuns } from "./bench-support";

const SAMPLES: readonly [string, QueryInput][] = [
  ['sum by (destination_service_name) (rate(istio_requests_total{reporter="destination", response_code=~"5.."}[$__rate_interval])) / sum by (destination_service_name) (rate(istio_requests_total{reporter="destination"}[$__rate_interval]))', { mode: "dashboard", profile: "own" }],
  ["histogram_quantile(0.99, sum by (le, service) (rate(kong_request_latency_ms_bucket{service=~\"$service\"}[$__rate_interval])))", { mode: "dashboard", profile: "own" }],
  ['sum by (service) (rate(kong_http_requests_total{code="401", source="kong"}[5m])) > 10', { mode: "rule", profile: "own" }],
  ["sum by (consumergroup, topic) (kafka_consumergroup_lag) > 10000", { mode: "rule", profile: "own" }],
  ["count by (namespace, cluster_name) ((envoy_cluster_circuit_breakers_default_cx_open == 1) or (envoy_cluster_circuit_breakers_default_rq_open == 1)) >= 1", { mode: "rule", profile: "own" }],
  ["absent(kafka_brokers)", { mode: "rule", profile: "own" }],
  ['topk(10, sum by (consumer) (increase(kong_http_requests_total{service=~"$service"}[$__range])))', { mode: "dashboard", profile: "own" }],
];

function outQueries(): [string, QueryInput][] {
  const dir = join(process.cwd(), "out/dashboards");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => [...readFileSync(join(dir, f), "utf8").matchAll(/"expr":\s*("(?:[^"\\]|\\.)*")/g)].map((m) => [JSON.parse(m[1]!) as string, { mode: "dashboard", profile: "own" }] as [string, QueryInput]));
}

const queries = [...SAMPLES, ...outQueries()];
const options = defaultOptions(platformCatalogue);
// Warm up the JIT, then five windows of about 400 ms, each after a `node -e 0` reference run.
for (let i = 0; i < 2000; i++) lintQuery(...queries[i % queries.length]!, options);
const rates: number[] = [];
const { reference } = await pairedRuns(5, () => {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 400) {
    for (const [q, input] of queries) lintQuery(q, input, options);
    n += queries.length;
  }
  rates.push(Math.round(n / ((performance.now() - start) / 1000)));
});
const avgLength = Math.round(queries.reduce((s, [q]) => s + q.length, 0) / queries.length);
const perSecond = median(rates);
judgeValue(
  `PromQL expressions linted per second (${queries.length} distinct queries, avg ${avgLength} chars)`,
  `median ${perSecond}/s (${Math.min(...rates)}–${Math.max(...rates)}/s, 5 windows of 400 ms)`,
  perSecond >= 20_000,
  "≥ 20,000/s",
);
console.log(`  same-run reference, node -e 0: ${describeRuns(reference)}`);
exitWithVerdict();
