import type { ScreenplayDocument } from "../document/index.ts";
import { IngestError } from "../ingest-error.ts";
import type { SourceFile } from "../source-file.ts";

/** Reads a Final Draft .fdx screenplay. */
export function readFdx(source: SourceFile, _text: string): ScreenplayDocument {
  throw new IngestError("ingest.not_implemented", source.fileName, "FDX import is not implemented yet");
}
