// Deployment settings for `npm run build`. Change them here; definitions stay as they are.

import type { BuildConfig } from "./src/model/config";

export const buildConfig: BuildConfig = {
  namespace: "monitoring",
  dashboardLabel: { name: "grafana_dashboard", value: "1" },
  folderAnnotation: "grafana_folder",
  // kube-prometheus-stack's Prometheus selects PrometheusRules labelled with its Helm release name.
  ruleLabels: { release: "kube-prometheus-stack" },
  grafanaUrl: "https://grafana.254carbon.com",
  grafanaAlertDatasourceUid: "prometheus",
  outputs: {
    dashboardJson: true,
    sidecar: true,
    prometheusRule: true,
    ruleFiles: true,
    grafanaAlerts: true,
    resources: true,
    operator: true,
  },
  // The oldest Grafana that accepts the emitted dashboard schemaVersion 42 (src/validate/grafana-version.ts).
  oldestGrafanaVersion: "12.2.0",
  resourceApiVersion: "v1beta1",
  operator: {
    instanceSelector: { matchLabels: { dashboards: "grafana" } },
    resyncPeriod: "10m",
    dashboardSource: "json",
  },
};
