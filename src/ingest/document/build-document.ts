import { createHash } from "node:crypto";
import type { ChapterDraft } from "../chapters/chapter-draft.ts";
import { finishChapters } from "../chapters/chapter-draft.ts";
import type { SourceFile } from "../source-file.ts";
import {
  type BookDocument,
  DOCUMENT_MODEL_VERSION,
  type DocumentMetadata,
  type SourceFormat,
} from "./document-model.ts";

/** Title, author and language as a format reader found them. */
export interface WorkFacts {
  readonly title: string;
  readonly author: string | null;
  readonly language: string | null;
}

/** Metadata of a document read from `source`. */
export function buildMetadata(source: SourceFile, format: SourceFormat, facts: WorkFacts): DocumentMetadata {
  return {
    title: facts.title,
    author: facts.author,
    language: facts.language,
    format,
    fileName: source.fileName.split(/[\\/]/).pop() ?? source.fileName,
    contentHash: createHash("sha256").update(source.bytes).digest("hex"),
    bytes: source.bytes.byteLength,
  };
}

/** A book document from chapter drafts: ordinals and word counts assigned. */
export function buildBook(
  source: SourceFile,
  format: SourceFormat,
  facts: WorkFacts,
  drafts: readonly ChapterDraft[],
): BookDocument {
  return {
    version: DOCUMENT_MODEL_VERSION,
    kind: "book",
    metadata: buildMetadata(source, format, facts),
    chapters: finishChapters(drafts),
  };
}
