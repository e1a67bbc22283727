// Import boundaries (issue 9): data flows definitions → kit → compile → outputs.
//   src/model     neutral shapes and constants; imports nothing of ours
//   src/kit       typed authoring helpers; imports only the model
//   src/compile   definitions → files; imports the kit and the model
//   src/validate, src/lint, src/grafana   import the model (validate also the generated schema/)
//   src/verify    the live-Prometheus check; imports lint (PromQL parser, rule files), grafana (redaction), model
//   src/pipeline  the build; imports compilers, validation, lint, kit and model
//   catalogue/, dashboards/, alerts/, build.config.ts   definitions; import the kit and the model
//   scripts/      entry points; pass the definitions in; never import test/
// Checked by test/architecture/boundaries.test.ts; `npx depcruise --config .dependency-cruiser.cjs src scripts test catalogue dashboards alerts build.config.ts`.

const OURS = "^(src|scripts|test|catalogue|dashboards|alerts|schema)/|^build\\.config\\.ts$";
const DEFINITIONS = "^(catalogue|dashboards|alerts)/|^build\\.config\\.ts$";

/** `from` may import, of our own files, only those matching `allowed`. */
const only = (name, comment, from, allowed) => ({
  name,
  comment,
  severity: "error",
  from: { path: from },
  to: { path: OURS, pathNot: allowed },
});

module.exports = {
  forbidden: [
    only("model-imports-nothing", "src/model is the neutral layer every other one shares", "^src/model/", ["^src/model/"]),
    only("kit-imports-model", "the kit is what definitions are written in: it knows the model, not the outputs", "^src/kit/", ["^src/(kit|model)/"]),
    only("compile-imports-kit-and-model", "compilers turn kit definitions into files; the build calls them, not the other way", "^src/compile/", [
      "^src/(compile|kit|model)/",
    ]),
    only("validate-imports-model", "validation reads compiled output, described by the model", "^src/validate/", ["^src/(validate|model)/", "^schema/"]),
    only("lint-imports-model", "the linter reads files anyone has; the catalogue is passed in", "^src/lint/", ["^src/(lint|model)/"]),
    only("grafana-imports-model", "the push reads out/, described by the model", "^src/grafana/", ["^src/(grafana|model)/"]),
    only("verify-imports-lint-grafana-model", "verify reads out/ with the linter's readers and the push's redaction; the catalogue is passed in", "^src/verify/", [
      "^src/(verify|lint|grafana|model)/",
    ]),
    only("pipeline-imports-compile-validate-lint", "the build composes the stages; definitions are passed in", "^src/pipeline/", [
      "^src/(pipeline|compile|validate|lint|kit|model)/",
    ]),
    only("definitions-import-kit-and-model", "definitions are data written with the kit", DEFINITIONS, [
      DEFINITIONS,
      "^src/(kit|model)/",
    ]),
    {
      name: "src-never-imports-definitions",
      comment: "library code takes definitions, the catalogue and settings as arguments; it never reaches for the repo's own",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(catalogue|dashboards|alerts|test|scripts)/|^build\\.config\\.ts$" },
    },
    {
      name: "scripts-never-import-test",
      comment: "test code (doubles, fixtures, synthetic data) is not shipped; benches that need it live under test/",
      severity: "error",
      from: { path: "^scripts/" },
      to: { path: "^test/" },
    },
    {
      name: "no-circular",
      comment: "a cycle means two layers depend on each other",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|out)/" },
    // `import type` counts: a type imported backwards is a backwards dependency too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
