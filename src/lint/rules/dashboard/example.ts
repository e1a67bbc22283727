// The clean dashboard every dashboard rule's cases start from (rule.ts DashboardCase): it lints
// without findings in every profile.

import type { DashboardCase } from "../../rule";
import type { Json } from "../../types";

const ds = { type: "prometheus", uid: "${datasource}" };

export function examplePanel(overrides: Json = {}): Json {
  return {
    id: 1,
    type: "timeseries",
    title: "Requests",
    description: "Requests per second by service.",
    datasource: ds,
    gridPos: { x: 0, y: 0, w: 12, h: 8 },
    fieldConfig: { defaults: { unit: "reqps" } },
    targets: [{ refId: "A", datasource: ds, expr: "sum by (service) (rate(kong_http_requests_total[$__rate_interval]))", legendFormat: "{{service}}" }],
    ...overrides,
  };
}

export function exampleDashboard(c: DashboardCase = {}): Json {
  return {
    uid: "api-gateway",
    title: "API Gateway",
    templating: {
      list: [
        { name: "datasource", type: "datasource", query: "prometheus" },
        { name: "service", type: "query", refresh: 2, datasource: ds, current: { value: ["$__all"] } },
      ],
    },
    panels: [examplePanel(c.panel), ...(c.more ?? [])],
    ...c.dashboard,
  };
}
