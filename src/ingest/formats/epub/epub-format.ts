import type { ZipArchive } from "../../archive/zip-archive.ts";
import type { BookDocument } from "../../document/index.ts";
import { IngestError } from "../../ingest-error.ts";
import type { SourceFile } from "../../source-file.ts";

/** Reads an EPUB 2 or 3 book. */
export async function readEpub(source: SourceFile, _archive: ZipArchive): Promise<BookDocument> {
  throw new IngestError("ingest.not_implemented", source.fileName, "EPUB import is not implemented yet");
}
