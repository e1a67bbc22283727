// What a deployment may change about the generated files without touching definitions.

/** Which deploy paths `npm run build` writes files for (see the README's deploy section). */
export interface OutputSelection {
  /** out/dashboards/*.json and out/manifest.json: always written, `npm run push` reads them. */
  readonly dashboardJson: true;
  /** Dashboard ConfigMaps for the Grafana sidecar (out/k8s/dashboard-*.configmap.yaml). */
  readonly sidecar: boolean;
  /** PrometheusRule resources and the inhibitions' AlertmanagerConfig for the Prometheus operator (out/k8s). */
  readonly prometheusRule: boolean;
  /** Plain Prometheus rule files for `rule_files:` (out/prometheus) and the inhibit_rules fragment (out/alertmanager). */
  readonly ruleFiles: boolean;
  /**
   * Grafana-managed alert rule groups: out/grafana/alert-rules (`npm run push -- --alerts`) and, with
   * `operator`, GrafanaAlertRuleGroups. Deploy these or the PrometheusRules, not both: both page.
   */
  readonly grafanaAlerts: boolean;
  /** Dashboard and Folder manifests for Grafana's resource API, gcx and Git Sync (out/resources). */
  readonly resources: boolean;
  /** grafana-operator resources (out/operator). */
  readonly operator: boolean;
}

export interface OperatorConfig {
  /** Selects the `Grafana` resources the operator writes to (required by every grafana-operator CRD). */
  readonly instanceSelector: { readonly matchLabels: Readonly<Record<string, string>> };
  /** How often the operator re-applies each resource (a Go duration; "0m" turns resyncing off). */
  readonly resyncPeriod: string;
  /** Dashboard JSON inline in each GrafanaDashboard, or in a ConfigMap it references. */
  readonly dashboardSource: "json" | "configMapRef";
}

export interface BuildConfig {
  /** Namespace of the generated ConfigMaps, PrometheusRules and grafana-operator resources. */
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
  /**
   * Metric source id → whether it runs here (build.config.ts `deployment.sources`): "signal
   * missing" guards of absent sources are not compiled.
   */
  readonly deployedSources: Readonly<Record<string, boolean>>;
  readonly outputs: OutputSelection;
  /**
   * The oldest Grafana the outputs must load in ("major.minor.patch"). The build refuses a
   * version older than the emitted dashboard schemaVersion or the resource API version needs, and
   * panel options the kit knows to be newer (src/validate/grafana-version.ts).
   */
  readonly oldestGrafanaVersion: string;
  /** API version of the out/resources manifests: v1beta1 is served from Grafana 12, v1 from 13. */
  readonly resourceApiVersion: "v1beta1" | "v1";
  readonly operator: OperatorConfig;
}
