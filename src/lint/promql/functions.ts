// PromQL function signatures, after Prometheus's promql/parser/functions.go and
// codemirror-promql's src/types/function.ts. `optional` trailing args may be left out;
// `variadic` repeats the last arg type without limit.

import type { ValueType } from "./ast";

export interface FunctionSignature {
  readonly args: readonly ValueType[];
  /** How many trailing args may be omitted. */
  readonly optional: number;
  /** The last arg type repeats any number of times. */
  readonly variadic?: boolean;
  readonly returns: ValueType;
}

const s = "scalar" as const;
const v = "vector" as const;
const m = "matrix" as const;
const str = "string" as const;

const sig = (args: ValueType[], returns: ValueType, optional = 0, variadic = false): FunctionSignature => ({ args, returns, optional, variadic });

const vectorMath = ["abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos", "cosh", "deg", "exp", "floor",
  "ln", "log10", "log2", "rad", "sgn", "sin", "sinh", "sqrt", "tan", "tanh", "sort", "sort_desc", "timestamp",
  "histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev", "histogram_stdvar", "absent"];
const overTime = ["avg_over_time", "count_over_time", "last_over_time", "max_over_time", "min_over_time", "sum_over_time",
  "stddev_over_time", "stdvar_over_time", "present_over_time", "absent_over_time", "mad_over_time", "first_over_time",
  "ts_of_first_over_time", "ts_of_last_over_time", "ts_of_max_over_time", "ts_of_min_over_time",
  "changes", "delta", "deriv", "idelta", "increase", "irate", "rate", "resets"];
const dateFns = ["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"];

export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map<string, FunctionSignature>([
  ...vectorMath.map((n) => [n, sig([v], v)] as const),
  ...overTime.map((n) => [n, sig([m], v)] as const),
  ...dateFns.map((n) => [n, sig([v], v, 1)] as const),
  ["clamp", sig([v, s, s], v)],
  ["clamp_max", sig([v, s], v)],
  ["clamp_min", sig([v, s], v)],
  ["round", sig([v, s], v, 1)],
  ["double_exponential_smoothing", sig([m, s, s], v)],
  ["holt_winters", sig([m, s, s], v)],
  ["histogram_fraction", sig([s, s, v], v)],
  ["histogram_quantile", sig([s, v], v)],
  ["histogram_quantiles", sig([v, str, s], v, 0, true)],
  ["info", sig([v, v], v, 1)],
  ["label_replace", sig([v, str, str, str, str], v)],
  ["label_join", sig([v, str, str, str], v, 1, true)],
  ["predict_linear", sig([m, s], v)],
  ["quantile_over_time", sig([s, m], v)],
  ["scalar", sig([v], s)],
  ["sort_by_label", sig([v, str], v, 1, true)],
  ["sort_by_label_desc", sig([v, str], v, 1, true)],
  ["time", sig([], s)],
  ["pi", sig([], s)],
  ["vector", sig([s], v)],
  ["start", sig([], s)],
  ["end", sig([], s)],
  ["range", sig([], s)],
  ["step", sig([], s)],
  ["start_timestamp", sig([v], v, 1)],
]);

/** Range functions whose window must hold at least two samples to give a value. */
export const RATE_FUNCTIONS = new Set(["rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes"]);
/** Functions a counter may sit in, directly or further up. */
export const COUNTER_SAFE_FUNCTIONS = new Set([
  "rate", "irate", "increase", "resets", "changes", "absent", "absent_over_time", "present_over_time", "count_over_time",
]);
export const COUNTER_SAFE_AGGREGATIONS = new Set(["count", "group", "count_values"]);
/** Functions that only make sense on counters. */
export const COUNTER_ONLY_FUNCTIONS = new Set(["rate", "irate", "increase", "resets"]);

/** Aggregations and the type of their parameter, if they take one. */
export const AGGREGATIONS: ReadonlyMap<string, ValueType | undefined> = new Map<string, ValueType | undefined>([
  ["sum", undefined], ["avg", undefined], ["min", undefined], ["max", undefined], ["count", undefined],
  ["group", undefined], ["stddev", undefined], ["stdvar", undefined],
  ["topk", s], ["bottomk", s], ["quantile", s], ["limitk", s], ["limit_ratio", s], ["count_values", str],
]);
