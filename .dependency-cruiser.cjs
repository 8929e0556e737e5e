/**
 * Import rules for src/: no cycles, and imports point down the layers of docs/architecture.md. A folder
 * may import folders of lower levels only (never its own level's siblings, never higher levels).
 */
const LEVELS = [
  ["errors"],
  ["money", "logging", "media", "script"],
  ["config"],
  ["db", "storage"],
  ["ingest", "providers", "render"],
  ["router"],
  ["queue"],
  ["pipeline"],
  ["app"],
  ["api", "cli"],
];

const layerRules = LEVELS.flatMap((level, index) => {
  const forbidden = LEVELS.slice(index).flat();
  return level.map((folder) => ({
    name: `${folder}-layering`,
    severity: "error",
    comment: `src/${folder} may import only lower layers (imports point down the layers)`,
    from: { path: `^src/${folder}/` },
    to: { path: `^src/(${forbidden.filter((other) => other !== folder).join("|")})/` },
  }));
});

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    { name: "not-to-unresolvable", severity: "error", from: {}, to: { couldNotResolve: true } },
    {
      name: "not-to-test",
      severity: "error",
      from: { pathNot: "\\.test\\.ts$|\\.conformance\\.ts$|^test/|^bench/" },
      to: { path: "\\.test\\.ts$|^test/" },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
