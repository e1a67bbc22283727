// verify's output: a table per dashboard and one for the rules, each non-ok row followed by
// what was found and what to do; or the same as one JSON document.

import type { VerifyReport } from "./verify";
import { exitCodeOf } from "./verify";
import type { Result } from "./types";
import { formatDuration } from "./variables";

export interface Summary {
  readonly ok: number;
  readonly empty: number;
  readonly allowedEmpty: number;
  readonly error: number;
  readonly exitCode: 0 | 1;
}

export function summarize(report: VerifyReport): Summary {
  const count = (f: (r: Result) => boolean) => report.results.filter(f).length;
  return {
    ok: count((r) => r.status === "ok"),
    empty: count((r) => r.status === "empty"),
    allowedEmpty: count((r) => r.status === "empty" && r.allowed),
    error: count((r) => r.status === "error"),
    exitCode: exitCodeOf(report),
  };
}

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}

function explained(r: Result): string[] {
  // Rules: always, for their state in each cluster; panels: when some cluster differs.
  const perCluster = r.kind === "rule" || (r.clusters ?? []).some((c) => c.status !== "ok")
    ? (r.clusters ?? []).map(
        (c) => `      cluster ${c.cluster}: ${c.alertState ? `${c.alertState}, ` : ""}${c.status === "ok" ? `ok, ${c.series} series` : `empty${c.reason ? ` (${c.reason})` : ""}${c.detail ? `: ${c.detail}` : ""}`}`,
      )
    : [];
  if (r.status === "ok" && !r.reason) return perCluster;
  return [r.detail && `      found: ${r.detail}`, r.hint && `      do:    ${r.hint}`, ...perCluster].filter((l): l is string => Boolean(l));
}

/** Per cluster: how many panel targets show data in its `$cluster` view, and which do not; its active alerts, its rules without inputs. */
function clusterSummary(report: VerifyReport): string[] {
  if (!report.clusters) return [];
  const panels = report.results.filter((r) => r.kind === "panel");
  const rules = report.results.filter((r) => r.kind === "rule");
  const lines = report.clusters.values.map((cluster) => {
    const inCluster = (r: Result) => r.clusters?.find((c) => c.cluster === cluster);
    const empty = panels.filter((r) => inCluster(r)?.status !== "ok");
    const names = empty.map((r) => `${r.dashboard} › ${r.panel}${r.allowed ? " (allowed)" : ""}`);
    const active = rules.filter((r) => inCluster(r)?.alertState === "firing" || inCluster(r)?.alertState === "pending").map((r) => `${r.rule} ${inCluster(r)!.alertState}`);
    const lacking = rules.filter((r) => inCluster(r)?.status === "empty").map((r) => `${r.group} › ${r.rule}${r.allowed ? " (allowed)" : ""}`);
    return `  ${cluster}: ${panels.length - empty.length} of ${panels.length} panel targets with data${names.length ? `; empty: ${names.join(", ")}` : ""}${
      rules.length ? `; alerts now: ${active.join(", ") || "none"}${lacking.length ? `; rules without inputs: ${lacking.join(", ")}` : ""}` : ""
    }`;
  });
  return ["", `per cluster (${report.clusters.label}, ${report.clusters.values.length} found in the store):${lines.length ? "" : " none"}`, ...lines];
}

const statusText = (r: Result): string => (r.status === "empty" && r.allowed ? "empty (allowed)" : r.status);

export function formatText(report: VerifyReport, titles: ReadonlyMap<string, string>, server: string): string {
  const out: string[] = [`Prometheus ${server} · range ${formatDuration(report.rangeS)} · at ${new Date(report.time * 1000).toISOString()}`];
  const panels = report.results.filter((r) => r.kind === "panel");
  for (const uid of [...new Set(panels.map((r) => r.dashboard!))]) {
    const rows = panels.filter((r) => r.dashboard === uid);
    out.push("", `${uid} · ${titles.get(uid) ?? uid}`);
    const lines = table([["  panel", "ref", "status", "series", "reason"], ...rows.map((r) => [`  ${r.panel}`, r.refId ?? "", statusText(r), String(r.series), r.reason ?? ""])], new Set([3]));
    out.push(lines[0]!);
    rows.forEach((r, i) => out.push(lines[i + 1]!, ...explained(r)));
  }
  const rules = report.results.filter((r) => r.kind === "rule");
  if (rules.length) {
    out.push("", `rules${report.loadedRules.checked ? ` (checked against /api/v1/rules: ${report.loadedRules.groups} group(s) loaded)` : ` (not compared with /api/v1/rules: ${report.loadedRules.note ?? "?"})`}`);
    const lines = table(
      [["  group", "rule", "alert", "status", "series", "reason"], ...rules.map((r) => [`  ${r.group}`, r.rule ?? "", r.alertState ?? "-", statusText(r), String(r.series), r.reason ?? ""])],
      new Set([4]),
    );
    out.push(lines[0]!);
    rules.forEach((r, i) => out.push(lines[i + 1]!, ...explained(r)));
    const active = rules.filter((r) => r.alertState === "firing" || r.alertState === "pending");
    const where = (r: Result) => {
      const inClusters = (r.clusters ?? []).filter((c) => c.alertState === "firing" || c.alertState === "pending").map((c) => c.cluster);
      return inClusters.length ? ` (${inClusters.join(", ")})` : "";
    };
    out.push("", active.length ? `alerts now: ${active.map((r) => `${r.rule} ${r.alertState}${where(r)}`).join(", ")}` : "alerts now: none firing or pending");
  }
  const d = report.drift;
  out.push("", `catalogue drift (${d.present} of ${d.total} catalogue metrics present):${d.findings.length ? "" : " none"}`);
  for (const f of d.findings) out.push(`  ${f.metric}: ${f.kind}: ${f.detail}`);
  out.push(...clusterSummary(report));
  for (const target of report.unusedAllowEmpty) out.push(`warning: allowEmpty entry ${target} matches no panel or rule`);
  const s = summarize(report);
  out.push("", `${s.ok} ok, ${s.empty} empty${s.allowedEmpty ? ` (${s.allowedEmpty} allowed)` : ""}, ${s.error} error(s)`);
  return `${out.join("\n")}\n`;
}

export function formatJson(report: VerifyReport, server: string): string {
  return `${JSON.stringify(
    {
      prometheus: server,
      time: new Date(report.time * 1000).toISOString(),
      range: formatDuration(report.rangeS),
      summary: summarize(report),
      results: report.results,
      loadedRules: report.loadedRules,
      drift: report.drift,
      unusedAllowEmpty: report.unusedAllowEmpty,
      clusters: report.clusters,
    },
    null,
    2,
  )}\n`;
}
