/**
 * Import rules for src/: no cycles, and arrows point down the layer list of docs/architecture.md
 * (cli/api → pipeline/queue → router/render/ingest → providers → storage/db/config → errors/money/logging).
 */
const layer = (name, forbidden) => ({
  name: `${name}-layering`,
  severity: "error",
  comment: `src/${name} must not import ${forbidden.join(", ")} (imports point down the layers)`,
  from: { path: `^src/${name}/` },
  to: { path: `^src/(${forbidden.join("|")})/` },
});

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    { name: "not-to-unresolvable", severity: "error", from: {}, to: { couldNotResolve: true } },
    {
      name: "not-to-test",
      severity: "error",
      from: { pathNot: "\\.test\\.ts$|^test/|^bench/" },
      to: { path: "\\.test\\.ts$|^test/" },
    },
    layer("errors", ["config", "db", "storage", "ingest", "providers", "router", "render", "pipeline", "queue", "billing", "api", "cli"]),
    layer("money", ["config", "db", "storage", "ingest", "providers", "router", "render", "pipeline", "queue", "billing", "api", "cli"]),
    layer("config", ["db", "storage", "ingest", "providers", "router", "render", "pipeline", "queue", "billing", "api", "cli"]),
    layer("db", ["storage", "ingest", "providers", "router", "render", "pipeline", "queue", "billing", "api", "cli"]),
    layer("storage", ["db", "ingest", "providers", "router", "render", "pipeline", "queue", "billing", "api", "cli"]),
    layer("ingest", ["db", "providers", "router", "render", "pipeline", "queue", "billing", "api", "cli"]),
    layer("providers", ["db", "router", "render", "pipeline", "queue", "billing", "api", "cli"]),
    layer("render", ["db", "ingest", "providers", "router", "pipeline", "queue", "billing", "api", "cli"]),
    layer("router", ["render", "ingest", "pipeline", "queue", "billing", "api", "cli"]),
    layer("pipeline", ["queue", "api", "cli"]),
    layer("queue", ["api", "cli"]),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
