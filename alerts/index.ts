// Every rule group the build compiles, to PrometheusRule resources and Grafana-managed alerts.

import type { RuleGroupDef } from "../src/kit/alert";
import { apiGatewayRules } from "./api-gateway";
import { eventSystemRules } from "./event-system";
import { serviceMeshRules } from "./service-mesh";

export const ruleGroups: RuleGroupDef[] = [serviceMeshRules, apiGatewayRules, eventSystemRules];
