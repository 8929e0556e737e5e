import type { ScreenplayDocument } from "../../document/index.ts";
import { IngestError } from "../../ingest-error.ts";
import type { SourceFile } from "../../source-file.ts";

/** Whether text reads as a Fountain screenplay. */
export function looksLikeFountain(_text: string): boolean {
  return false;
}

/** Reads a Fountain screenplay. */
export function readFountain(source: SourceFile, _text: string): ScreenplayDocument {
  throw new IngestError("ingest.not_implemented", source.fileName, "Fountain import is not implemented yet");
}
