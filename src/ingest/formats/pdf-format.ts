import type { BookDocument } from "../document/index.ts";
import { IngestError } from "../ingest-error.ts";
import type { SourceFile } from "../source-file.ts";

/** Reads a PDF with a text layer. */
export async function readPdf(source: SourceFile): Promise<BookDocument> {
  throw new IngestError("ingest.not_implemented", source.fileName, "PDF import is not implemented yet");
}
