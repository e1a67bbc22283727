// Alertmanager inhibitions as typed data: while `source` fires, `targets` are not notified.
// Alerts are referenced as the objects the rule groups hold, so a renamed or deleted alert is a
// type error here, not a silently dead inhibition.

import type { AnyAlert } from "./alert";

export interface InhibitionDef {
  /** Why the targets are noise while the source fires (kept in the generated output's docs). */
  readonly reason: string;
  readonly source: AnyAlert;
  readonly targets: readonly AnyAlert[];
  /**
   * Labels source and target must share (the same service, topic...); empty: the source
   * inhibits the targets wherever they fire (cluster-wide conditions).
   */
  readonly equal: readonly string[];
}

export function inhibition(def: InhibitionDef): InhibitionDef {
  return def;
}

/** The inhibitions as deployed: a guard that is not compiled inhibits nothing, so it is left out. */
export function inhibitionsForDeployment(defs: readonly InhibitionDef[], deployed: Readonly<Record<string, boolean>>): InhibitionDef[] {
  const compiled = (a: AnyAlert) => a.guards === undefined || deployed[a.guards] === true;
  return defs.filter((d) => compiled(d.source)).map((d) => ({ ...d, targets: d.targets.filter(compiled) })).filter((d) => d.targets.length > 0);
}
