export * from "./document-model.ts";
export * from "./passage.ts";
