export { type ChunkOptions, chunkChapter, countTextTokens } from "./chunking/chunk-chapter.ts";
export * from "./document/index.ts";
export { ingestBytes, ingestFile } from "./ingest-bytes.ts";
export { IngestError, type IngestErrorCode } from "./ingest-error.ts";
export { DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET_MS, type IngestOptions } from "./ingest-options.ts";
export { formatOutline } from "./output/format-outline.ts";
export {
  type IngestJson,
  type IngestJsonChapter,
  type IngestJsonScene,
  toIngestJson,
} from "./output/to-ingest-json.ts";
