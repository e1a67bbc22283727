// Types of the grafana-operator validators bundled by scripts/generate-operator-schema.ts.
import type { ErrorObject } from "ajv";

type Validate = { (data: unknown): boolean; errors?: ErrorObject[] | null };
export declare const validateGrafanaFolder: Validate;
export declare const validateGrafanaDashboard: Validate;
export declare const validateGrafanaAlertRuleGroup: Validate;
