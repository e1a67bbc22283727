// Duration formatting for messages and configuration.

import { parseDuration } from "../model/duration";

export { parseDuration };

/** 60000 → "1m", 90000 → "1m30s". */
export function formatMs(ms: number): string {
  const units: [string, number][] = [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]];
  let rest = ms;
  let out = "";
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out || "0s";
}
