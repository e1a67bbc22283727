// The rule registry: every lint rule, in the order docs/lint-rules.md lists them. The linter,
// the build's check of its own output and the docs generator all read this one list.

import type { LintRule } from "../rule";
import { internal } from "./internal";
import { syntax } from "./query/syntax";
import { types } from "./query/types";
import { tooComplex } from "./query/too-complex";
import { regexValid } from "./query/regex-valid";
import { counterRated } from "./query/counter-rated";
import { gaugeNotRated } from "./query/gauge-not-rated";
import { rateInterval } from "./query/rate-interval";
import { rateRangeMin } from "./query/rate-range-min";
import { histogramLe } from "./query/histogram-le";
import { histogramQuantilePhi } from "./query/histogram-quantile-phi";
import { regexpHygiene } from "./query/regexp-hygiene";
import { knownMetric } from "./query/known-metric";
import { impossible } from "./query/impossible";
import { nanInAgg } from "./query/nan-in-agg";
import { clusterLabelKept } from "./query/cluster-label-kept";
import { dashboardShape } from "./dashboard/dashboard-shape";
import { dashboardTitle } from "./dashboard/dashboard-title";
import { dashboardUid } from "./dashboard/dashboard-uid";
import { panelDatasource } from "./dashboard/panel-datasource";
import { panelGridpos } from "./dashboard/panel-gridpos";
import { panelIdUnique } from "./dashboard/panel-id-unique";
import { panelTitleUnique } from "./dashboard/panel-title-unique";
import { panelNoTargets } from "./dashboard/panel-no-targets";
import { panelOverlap } from "./dashboard/panel-overlap";
import { panelTitleDescription } from "./dashboard/panel-title-description";
import { panelUnits } from "./dashboard/panel-units";
import { panelUnitKnown } from "./dashboard/panel-unit-known";
import { panelVariables } from "./dashboard/panel-variables";
import { templateDatasource } from "./dashboard/template-datasource";
import { templateOnTimeChangeReload } from "./dashboard/template-on-time-change-reload";
import { ruleGroup } from "./group/rule-group";
import { ruleGroupSize } from "./group/rule-group-size";
import { alertAlwaysFiring } from "./rule/alert-always-firing";
import { alertDescription } from "./rule/alert-description";
import { alertFor } from "./rule/alert-for";
import { alertForPositive } from "./rule/alert-for-positive";
import { alertLabelsTemplate } from "./rule/alert-labels-template";
import { alertName } from "./rule/alert-name";
import { alertSeverity } from "./rule/alert-severity";
import { alertSummary } from "./rule/alert-summary";
import { alertValueInLabels } from "./rule/alert-value-in-labels";
import { recordName } from "./rule/record-name";
import { ruleFields } from "./rule/rule-fields";
import { ruleKind } from "./rule/rule-kind";
import { templateSyntax } from "./rule/template-syntax";

export const REGISTRY: readonly LintRule[] = [
  syntax,
  types,
  tooComplex,
  regexValid,
  counterRated,
  gaugeNotRated,
  rateInterval,
  rateRangeMin,
  histogramLe,
  histogramQuantilePhi,
  regexpHygiene,
  knownMetric,
  impossible,
  nanInAgg,
  clusterLabelKept,
  dashboardShape,
  dashboardTitle,
  dashboardUid,
  panelDatasource,
  panelGridpos,
  panelIdUnique,
  panelTitleUnique,
  panelNoTargets,
  panelOverlap,
  panelTitleDescription,
  panelUnits,
  panelUnitKnown,
  panelVariables,
  templateDatasource,
  templateOnTimeChangeReload,
  ruleGroup,
  ruleGroupSize,
  alertAlwaysFiring,
  alertDescription,
  alertFor,
  alertForPositive,
  alertLabelsTemplate,
  alertName,
  alertSeverity,
  alertSummary,
  alertValueInLabels,
  recordName,
  ruleFields,
  ruleKind,
  templateSyntax,
  internal,
];
