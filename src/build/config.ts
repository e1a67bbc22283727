// What a deployment may change about the generated files without touching definitions.

export interface BuildConfig {
  /** Namespace of the generated ConfigMaps and PrometheusRules. */
  readonly namespace: string;
  /** Label that makes the Grafana sidecar pick a ConfigMap up (kube-prometheus-stack: grafana_dashboard). */
  readonly dashboardLabel: { readonly name: string; readonly value: string };
  /** Annotation the sidecar reads the target folder from (the chart's sidecar.dashboards.folderAnnotation). */
  readonly folderAnnotation: string;
  /** Labels on PrometheusRule resources; the Prometheus operator selects rules by them. */
  readonly ruleLabels: Readonly<Record<string, string>>;
  /** Base URL for alert `dashboard_url` annotations. */
  readonly grafanaUrl: string;
  /** uid of the Prometheus data source Grafana-managed alert rules query (`npm run push -- --alerts`). */
  readonly grafanaAlertDatasourceUid: string;
  /** Metric source id → whether it runs here (build.config.ts `deployment.sources`). */
  readonly deployedSources: Readonly<Record<string, boolean>>;
}
