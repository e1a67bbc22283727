// Deployment settings for `npm run build`. Change them here; definitions stay as they are.

import type { BuildConfig } from "./src/model/config";
import type { VerifyConfig } from "./src/model/verify";

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

/**
 * `npm run verify` (README "Verifying against a live Prometheus"): panels and rules that may
 * be empty on a healthy cluster, each only for the reasons listed (an absent metric still fails).
 */
export const verify: VerifyConfig = {
  allowEmpty: [
    {
      target: "service-mesh/mTLS Status",
      when: ["value-no-match", "filtered"],
      reason: "no service receives plaintext: the healthy state of a strict-mTLS mesh",
    },
    {
      target: "api-gateway/Rate Limiting - Requests Blocked",
      when: ["value-no-match", "no-match-combination", "filtered"],
      reason: "Kong has blocked nothing (no 429 it answered itself)",
    },
    {
      target: "api-gateway/Authentication Failures",
      when: ["value-no-match", "no-match-combination", "filtered"],
      reason: "Kong has rejected nothing (no 401 it answered itself)",
    },
    {
      target: "events/Failed Event Deliveries",
      when: ["value-no-match", "no-match-combination", "filtered"],
      reason: "no delivery has failed",
    },
  ],
};
