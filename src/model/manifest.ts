// The contract between the build and the push: out/manifest.json says which folders, dashboards
// and alert rule groups exist and where each goes. The build writes it; the push reads it.

export interface ManifestFolder {
  readonly uid: string;
  readonly title: string;
  /** Nested folders name their parent; parents are listed first. */
  readonly parentUid?: string;
}

export interface ManifestDashboard {
  readonly uid: string;
  readonly title: string;
  /** "" puts the dashboard in Grafana's General folder. */
  readonly folderUid: string;
  /** Relative to out/: `dashboards/<uid>.json`. */
  readonly file: string;
}

export interface ManifestAlertRuleGroup {
  readonly name: string;
  readonly folderUid: string;
  /** Relative to out/: `grafana/alert-rules/<name>.json`. */
  readonly file: string;
}

export interface Manifest {
  readonly folders: readonly ManifestFolder[];
  readonly dashboards: readonly ManifestDashboard[];
  readonly alertRuleGroups?: readonly ManifestAlertRuleGroup[];
}

export const MANIFEST_FILE = "manifest.json";
