import type { BookDocument } from "../document/index.ts";
import { IngestError } from "../ingest-error.ts";
import type { SourceFile } from "../source-file.ts";

/** Whether text reads as Markdown. */
export function looksLikeMarkdown(_text: string): boolean {
  return false;
}

/** Reads a Markdown book. */
export function readMarkdown(source: SourceFile, _text: string): BookDocument {
  throw new IngestError("ingest.not_implemented", source.fileName, "Markdown import is not implemented yet");
}
