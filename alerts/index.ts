// Every rule group the build compiles, to PrometheusRule resources and Grafana-managed alerts.

import type { RuleGroupDef } from "../src/kit/alert";
import { apiGatewayRules, gatewayAlerts } from "./api-gateway";
import { eventAlerts, eventSystemRules } from "./event-system";
import { meshAlerts, serviceMeshRules } from "./service-mesh";

export const ruleGroups: RuleGroupDef[] = [serviceMeshRules, apiGatewayRules, eventSystemRules];

/** Every alert by key, for definitions that refer to alerts (inhibitions, incident scenarios). */
export { meshAlerts, gatewayAlerts, eventAlerts };
export { inhibitions } from "./inhibitions";
