import type { ZipArchive } from "../archive/zip-archive.ts";
import type { BookDocument } from "../document/index.ts";
import { IngestError } from "../ingest-error.ts";
import type { SourceFile } from "../source-file.ts";

/** Reads a Word .docx: Heading styles become chapters. */
export async function readDocx(source: SourceFile, _archive: ZipArchive): Promise<BookDocument> {
  throw new IngestError("ingest.not_implemented", source.fileName, "DOCX import is not implemented yet");
}
