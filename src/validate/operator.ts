// Checks grafana-operator resources against the operator's CRD schemas (schema/operator.validate.js,
// bundled from @kubernetes-models/grafana-operator by scripts/generate-operator-schema.ts) and
// what the schemas cannot say: object names Kubernetes accepts. The CRDs' CEL rules (e.g.
// folderUID XOR folderRef) are not run; the compiler only ever emits folderRef.

import type { Finding } from "../model/finding";
import type { ErrorObject } from "ajv";
import { validateGrafanaAlertRuleGroup, validateGrafanaDashboard, validateGrafanaFolder } from "../../schema/operator.validate.js";

const VALIDATORS: Readonly<Record<string, typeof validateGrafanaFolder>> = {
  GrafanaFolder: validateGrafanaFolder,
  GrafanaDashboard: validateGrafanaDashboard,
  GrafanaAlertRuleGroup: validateGrafanaAlertRuleGroup,
};

/** DNS-1123 subdomain: what Kubernetes accepts as metadata.name. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** Go's time.ParseDuration syntax, the CRDs' own pattern for durations. */
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

function valueAt(object: unknown, pointer: string): unknown {
  let value = object;
  for (const key of pointer.split("/").slice(1)) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return value;
}

/**
 * Kubernetes reads `format: duration` as a Go duration ("1m"); ajv-formats, which the generated
 * validators use, reads it as ISO 8601 ("PT1M"). Such an error stands only if the value is not a
 * Go duration either.
 */
function isRealError(object: unknown, error: ErrorObject): boolean {
  if (error.keyword !== "format" || error.params.format !== "duration") return true;
  const value = valueAt(object, error.instancePath);
  return !(typeof value === "string" && GO_DURATION.test(value));
}

/** Every problem of one grafana-operator object, located by its file under out/. */
export function validateOperatorObject(file: string, object: unknown): Finding[] {
  if (typeof object !== "object" || object === null) return [{ location: [file], message: "not an object" }];
  const { kind, metadata } = object as { kind?: unknown; metadata?: { name?: unknown } };
  const problems: Finding[] = [];
  const name = metadata?.name;
  if (typeof name !== "string" || !OBJECT_NAME.test(name)) problems.push({ location: [file], message: `metadata.name ${JSON.stringify(name)} is not a Kubernetes object name (lowercase DNS-1123 subdomain)` });
  const validate = typeof kind === "string" ? VALIDATORS[kind] : undefined;
  if (!validate) return problems; // ConfigMaps: only the name to check.
  if (!validate(object)) {
    for (const error of (validate.errors ?? []).filter((e) => isRealError(object, e))) {
      problems.push({ location: [file], message: `${kind} CRD schema: ${error.instancePath || "/"} ${error.message ?? `fails ${error.keyword} ${JSON.stringify(error.params)}`}` });
    }
  }
  return problems;
}
