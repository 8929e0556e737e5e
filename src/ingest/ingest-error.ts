import { LitinkError } from "../errors/index.ts";

/** Stable codes of every error the ingest module raises on purpose. */
export type IngestErrorCode =
  | "ingest.file_not_found"
  | "ingest.empty_file"
  | "ingest.too_large"
  | "ingest.timeout"
  | "ingest.aborted"
  | "ingest.unsupported_format"
  | "ingest.binary_content"
  | "ingest.corrupt_zip"
  | "ingest.zip_bomb"
  | "ingest.unsafe_path"
  | "ingest.epub_missing_container"
  | "ingest.epub_missing_opf"
  | "ingest.epub_broken_spine"
  | "ingest.drm_protected"
  | "ingest.xml_malformed"
  | "ingest.xml_entities"
  | "ingest.pdf_encrypted"
  | "ingest.pdf_no_text_layer"
  | "ingest.pdf_corrupt"
  | "ingest.docx_corrupt"
  | "ingest.no_text"
  | "ingest.not_implemented";

/**
 * An input file LitinkAI cannot read. Always user-facing: the message names the file, says what is
 * wrong and what to do. `details.fileName` holds the file name.
 */
export class IngestError extends LitinkError {
  override readonly name = "IngestError";
  declare readonly code: IngestErrorCode;

  constructor(
    code: IngestErrorCode,
    fileName: string,
    problem: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(code, `${fileName}: ${problem}`, {
      userFacing: true,
      details: { fileName, ...options.details },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}
