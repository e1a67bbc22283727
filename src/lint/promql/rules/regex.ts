// regex-valid and regexp-hygiene on =~ / !~ matchers. Prometheus uses Go's RE2 and anchors
// every label regex (^(?:...)$). We flag constructs RE2 rejects, translate RE2-only syntax
// JS lacks, then compile with JS. Values containing `$` (Grafana variables) are skipped.

import type { QueryContext } from "../context";
import type { Matcher } from "../ast";
import { hasVariable } from "../variables";

/** Constructs JS accepts but RE2 does not. */
const RE2_UNSUPPORTED: readonly [RegExp, string][] = [
  [/\(\?<?[=!]/, "lookaround assertions ((?=, (?!, (?<=, (?<!)"],
  [/\\[1-9]/, "backreferences (\\1...)"],
  [/\\k</, "named backreferences (\\k<name>)"],
  [/\(\?>/, "atomic groups ((?>...))"],
  [/[*+?}]\+/, "possessive quantifiers (*+, ++, ?+)"],
];

/** RE2 syntax JS lacks, turned into JS equivalents so the compile check does not misfire. */
function toJs(re: string): { source: string; flags: string } {
  let flags = "";
  let source = re.replace(/^\(\?([imsU]+)\)/, (_, f: string) => {
    if (f.includes("i")) flags += "i";
    if (f.includes("s")) flags += "s";
    if (f.includes("m")) flags += "m";
    return "";
  });
  source = source
    .replace(/\(\?P</g, "(?<")
    .replace(/\\A/g, "^")
    .replace(/\\z/g, "$")
    .replace(/\[:(alnum|alpha|ascii|blank|cntrl|digit|graph|lower|print|punct|space|upper|word|xdigit):\]/g, "a-z")
    .replace(/\\Q(.*?)(\\E|$)/g, (_, lit: string) => lit.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .replace(/\\[pP]\{?\w+\}?/g, "\\w");
  return { source, flags };
}

export function regexProblem(value: string): string | undefined {
  for (const [pattern, what] of RE2_UNSUPPORTED) if (pattern.test(value)) return `RE2 (Prometheus) does not support ${what}`;
  const { source, flags } = toJs(value);
  try {
    new RegExp(`^(?:${source})$`, flags);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: /, "");
  }
}

const META = /[.*+?()[\]{}|\\^$]/;

function hygiene(m: Matcher): string | undefined {
  if (m.value === ".*" || m.value === "^.*$")
    return m.op === "=~"
      ? `${m.label}=~"${m.value}" matches everything (and series without the label): drop the matcher`
      : `${m.label}!~"${m.value}" matches nothing that has the label: use ${m.label}=""`;
  if (m.value.startsWith("^") || (m.value.endsWith("$") && !m.value.endsWith("\\$")))
    return `${m.label}${m.op}"${m.value}": Prometheus anchors label regexes already, the ^/$ are redundant`;
  if (!META.test(m.value))
    return `${m.label}${m.op}"${m.value}" is a plain string: use ${m.label}${m.op === "=~" ? "=" : "!="}"${m.value}"`;
  return undefined;
}

export function regexRules(ctx: QueryContext): void {
  for (const node of ctx.parsed.nodes) {
    if (node.kind !== "selector") continue;
    for (const m of node.matchers) {
      if ((m.op !== "=~" && m.op !== "!~") || hasVariable(m.value)) continue;
      const problem = regexProblem(m.value);
      if (problem) {
        ctx.report("regex-valid", "error", `${m.label}${m.op}${JSON.stringify(m.value)}: invalid regex: ${problem}`);
        continue;
      }
      const h = hygiene(m);
      if (h) ctx.report("regexp-hygiene", "warning", h);
    }
  }
}
