// Loads @grafana/data, the library Grafana's frontend runs, in Node: through its CommonJS build
// (the ESM build fails on moment-timezone's named export), with the browser globals some of it
// reads. Used by tests and scripts/generate-units.ts only: the build never loads it (177 MB).

import { createRequire } from "node:module";

export type GrafanaData = typeof import("@grafana/data");

let loaded: GrafanaData | undefined;

/** The library, loaded once per process, with its transformer registry initialised. */
export function grafanaData(): GrafanaData {
  if (loaded) return loaded;
  const global = globalThis as { navigator?: unknown; window?: unknown };
  // Value formatters read navigator.language. Node 20 has no navigator.
  global.navigator ??= { language: "en-US", languages: ["en-US"] };
  const gd = createRequire(import.meta.url)("@grafana/data") as GrafanaData;
  // Only after the require: set before, a dependency takes Node for a browser and reads `document`.
  global.window ??= globalThis;
  // transformDataFrame looks transformers up in this registry, which Grafana's app fills at start-up.
  const unique = new Map(Object.values(gd.standardTransformers).map((info) => [info.id, info]));
  gd.standardTransformersRegistry.setInit(() =>
    [...unique.values()].map((info) => ({
      id: info.id,
      name: info.name,
      description: info.description,
      editor: () => null,
      imageDark: "",
      imageLight: "",
      transformation: () => Promise.resolve(info),
    })),
  );
  loaded = gd;
  return gd;
}

/** Every unit id Grafana's unit picker offers (getValueFormats), in its order. */
export function grafanaUnitIds(gd: GrafanaData = grafanaData()): string[] {
  return gd.getValueFormats().flatMap((category) => (category.submenu ?? []).map((unit) => String(unit.value)));
}
