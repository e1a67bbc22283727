// Label regexes as Prometheus reads them: Go's RE2, anchored (^(?:...)$). We flag constructs
// RE2 rejects, translate RE2-only syntax JS lacks, then compile with JS.

import type { Expr, Matcher } from "./ast";
import { hasVariable } from "./variables";

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


/** Regex matchers (=~, !~) of every selector, except values holding a Grafana variable. */
export function regexMatchers(nodes: readonly Expr[]): Matcher[] {
  const found: Matcher[] = [];
  for (const n of nodes) if (n.kind === "selector") for (const m of n.matchers) if ((m.op === "=~" || m.op === "!~") && !hasVariable(m.value)) found.push(m);
  return found;
}
