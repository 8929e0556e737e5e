import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { openZip } from "./archive/zip-archive.ts";
import { Deadline } from "./deadline.ts";
import { detectContainer, unsupported } from "./detect-format.ts";
import { type Document, documentSchema } from "./document/index.ts";
import { readDocx } from "./formats/docx-format.ts";
import { readEpub } from "./formats/epub/epub-format.ts";
import { readFdx } from "./formats/fdx-format.ts";
import { looksLikeFountain, readFountain } from "./formats/fountain/fountain-format.ts";
import { looksLikeMarkdown, readMarkdown } from "./formats/markdown-format.ts";
import { readPdf } from "./formats/pdf-format.ts";
import { readPlainText } from "./formats/plain-text-format.ts";
import { IngestError } from "./ingest-error.ts";
import { DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET_MS, type IngestOptions } from "./ingest-options.ts";
import { extensionOf, type SourceFile } from "./source-file.ts";
import { decodeText } from "./text/decode-text.ts";

/**
 * Reads a book or screenplay file into the normalised {@link Document}. The format is decided by
 * content (magic bytes, structure), the extension only breaks ties between text formats.
 * Throws {@link IngestError} (user-facing, naming the file) for anything it cannot read.
 *
 * @example
 * const document = await ingestFile("books/treasure-island.txt");
 */
export async function ingestFile(filePath: string, options: IngestOptions = {}): Promise<Document> {
  const fileName = path.basename(filePath);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let size: number;
  try {
    const info = await stat(filePath);
    if (!info.isFile()) {
      throw new IngestError(
        "ingest.file_not_found",
        fileName,
        "is not a regular file; give the path of a book or screenplay file",
      );
    }
    size = info.size;
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw new IngestError("ingest.file_not_found", fileName, `cannot open ${filePath}; check the path`, {
      cause: error,
    });
  }
  if (size > maxBytes) throw tooLarge(fileName, size, maxBytes);
  const bytes = new Uint8Array(await readFile(filePath));
  return ingestBytes(bytes, fileName, options);
}

/** Like {@link ingestFile}, for bytes already in memory (an upload); `fileName` is used in messages. */
export async function ingestBytes(
  bytes: Uint8Array,
  fileName: string,
  options: IngestOptions = {},
): Promise<Document> {
  const name = path.basename(fileName) || "upload";
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.byteLength === 0) {
    throw new IngestError("ingest.empty_file", name, "the file is empty; upload the book's full text");
  }
  if (bytes.byteLength > maxBytes) throw tooLarge(name, bytes.byteLength, maxBytes);
  const deadline = new Deadline(name, options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS, options.signal);
  deadline.check();
  const source: SourceFile = { fileName: name, bytes, deadline };
  const document = await readByContainer(source);
  deadline.check();
  return documentSchema.parse(document);
}

async function readByContainer(source: SourceFile): Promise<Document> {
  const container = detectContainer(source.bytes, source.fileName);
  if (container === "pdf") return readPdf(source);
  if (container === "zip") {
    const archive = openZip(source.bytes, source.fileName, source.deadline);
    const mimetype = archive.has("mimetype") ? new TextDecoder().decode(archive.read("mimetype")).trim() : "";
    if (
      mimetype === "application/epub+zip" ||
      archive.has("META-INF/container.xml") ||
      extensionOf(source.fileName) === "epub"
    ) {
      return readEpub(source, archive);
    }
    if (archive.has("word/document.xml")) return readDocx(source, archive);
    throw unsupported(source.fileName, "a ZIP archive that is neither an EPUB nor a DOCX");
  }
  const { text } = decodeText(source.bytes, source.fileName);
  if (text.trim().length === 0) {
    throw new IngestError(
      "ingest.empty_file",
      source.fileName,
      "the file holds only blank space; upload the book's full text",
    );
  }
  const extension = extensionOf(source.fileName);
  const head = text.slice(0, 4096);
  if (/<FinalDraft[\s>]/.test(head) || (extension === "fdx" && head.trimStart().startsWith("<")))
    return readFdx(source, text);
  if (extension === "fountain" || extension === "spmd" || (extension !== "md" && looksLikeFountain(text))) {
    return readFountain(source, text);
  }
  if (extension === "md" || extension === "markdown" || looksLikeMarkdown(text))
    return readMarkdown(source, text);
  return readPlainText(source, text);
}

function tooLarge(fileName: string, size: number, maxBytes: number): IngestError {
  return new IngestError(
    "ingest.too_large",
    fileName,
    `the file is ${formatMegabytes(size)}, over the ${formatMegabytes(maxBytes)} limit; split the book or raise the limit`,
    { details: { bytes: size, maxBytes } },
  );
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
