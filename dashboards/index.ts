// Every dashboard the build compiles, in output order.

import type { DashboardDef } from "../src/kit/dashboard";
import { apiGateway } from "./api-gateway";
import { eventSystem } from "./event-system";
import { serviceMesh } from "./service-mesh";

export const dashboards: readonly DashboardDef[] = [serviceMesh, apiGateway, eventSystem];
