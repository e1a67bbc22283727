// Grafana folders: one parent, one child per dashboard area, one for Grafana-managed alert rules.

import type { FolderDef } from "../src/kit/dashboard";

const platform: FolderDef = { uid: "254carbon", title: "254Carbon" };

export const folders = {
  platform,
  serviceMesh: { uid: "254carbon-service-mesh", title: "Service Mesh", parent: platform },
  apiGateway: { uid: "254carbon-api-gateway", title: "API Gateway", parent: platform },
  eventSystem: { uid: "254carbon-event-system", title: "Event System", parent: platform },
  alerts: { uid: "254carbon-alerts", title: "Alerts", parent: platform },
} as const satisfies Record<string, FolderDef>;
