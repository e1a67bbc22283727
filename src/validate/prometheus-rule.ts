// Checks PrometheusRule objects against prometheus-operator's CRD schema: the validator
// @kubernetes-models/prometheus-operator compiles from it, bundled without its runtime by
// scripts/generate-operator-schema.ts. Problems name the group and the rule.

import type { ErrorObject } from "ajv";
import { validateAlertmanagerConfig as validateConfig, validatePrometheusRule as validate } from "../../schema/prometheusrule.validate.js";
import type { Finding } from "../model/finding";

/** What a schema error says, from its keyword and params (the validator carries no messages). */
function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `must have property "${String(params.missingProperty)}"`;
    case "pattern":
      return `must match ${String(params.pattern)}`;
    case "type":
      return `must be ${String(params.type)}`;
    case "enum":
      return `must be one of ${JSON.stringify(params.allowedValues)}`;
    default:
      return `fails ${error.keyword} ${JSON.stringify(params)}`;
  }
}

interface RuleShape {
  spec?: { groups?: { name?: unknown; rules?: { alert?: unknown; record?: unknown }[] }[] };
}

/** The group and rule a schema error points into, as named in the object itself. */
function locate(resource: RuleShape, path: string, fallback: string): string[] {
  const match = /^\/spec\/groups\/(\d+)(?:\/rules\/(\d+))?/.exec(path);
  const group = match ? resource.spec?.groups?.[Number(match[1])] : undefined;
  const rule = match?.[2] === undefined ? undefined : group?.rules?.[Number(match[2])];
  const groupName = typeof group?.name === "string" ? group.name : fallback;
  const ruleName = rule?.alert ?? rule?.record;
  return typeof ruleName === "string" ? [groupName, ruleName] : [groupName];
}

/** Every CRD schema problem of one PrometheusRule object, written to `file`. */
export function validatePrometheusRule({ file, object: resource }: { readonly file: string; readonly object: unknown }): Finding[] {
  if (validate(resource)) return [];
  const name = (resource as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  const fallback = typeof name === "string" ? name : "PrometheusRule";
  return (validate.errors ?? []).map((e) => ({
    file,
    location: locate((resource ?? {}) as RuleShape, e.instancePath, fallback),
    message: `PrometheusRule schema: ${e.instancePath || "/"} ${describe(e)}`,
  }));
}

/** Every CRD schema problem of the AlertmanagerConfig holding the inhibitions, written to `file`. */
export function validateAlertmanagerConfig({ file, object }: { readonly file: string; readonly object: unknown }): Finding[] {
  if (validateConfig(object)) return [];
  return (validateConfig.errors ?? []).map((e) => ({ file, location: ["inhibitions", "AlertmanagerConfig"], message: `AlertmanagerConfig schema: ${e.instancePath || "/"} ${describe(e)}` }));
}
