import { IngestError } from "./ingest-error.ts";
import { extensionOf } from "./source-file.ts";

/** How the bytes look before any parsing: a ZIP container, a PDF, or text. */
export type Container = "zip" | "pdf" | "text";

const UNSUPPORTED_MAGIC: ReadonlyArray<{ magic: number[]; offset?: number; name: string }> = [
  { magic: [0x89, 0x50, 0x4e, 0x47], name: "a PNG image" },
  { magic: [0xff, 0xd8, 0xff], name: "a JPEG image" },
  { magic: [0x47, 0x49, 0x46, 0x38], name: "a GIF image" },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], name: "a legacy Microsoft Office file (.doc)" },
  { magic: [0x7b, 0x5c, 0x72, 0x74, 0x66], name: "an RTF document" },
  { magic: [0x1f, 0x8b], name: "a gzip archive" },
  { magic: [0x52, 0x61, 0x72, 0x21], name: "a RAR archive" },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], name: "a 7-Zip archive" },
  { magic: [0x42, 0x4f, 0x4f, 0x4b, 0x4d, 0x4f, 0x42, 0x49], offset: 60, name: "a Kindle/Mobipocket book" },
  { magic: [0x7f, 0x45, 0x4c, 0x46], name: "a program (ELF)" },
  { magic: [0x4d, 0x5a], name: "a Windows program" },
];
const UNSUPPORTED_EXTENSIONS: Readonly<Record<string, string>> = {
  mobi: "a Kindle/Mobipocket book",
  azw: "a Kindle book",
  azw3: "a Kindle book",
  kfx: "a Kindle book",
  doc: "a legacy Word document",
  odt: "an OpenDocument text",
  rtf: "an RTF document",
  pages: "an Apple Pages document",
  djvu: "a DjVu document",
  cbz: "a comic archive",
  celtx: "a Celtx project",
};

const SUPPORTED = "plain text, Markdown, EPUB, PDF, DOCX, Fountain or Final Draft (.fdx)";

/** Decides the container from magic bytes; rejects formats LitinkAI cannot read with `ingest.unsupported_format`. */
export function detectContainer(bytes: Uint8Array, fileName: string): Container {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return "zip";
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  if (head.includes("%PDF-")) return "pdf";
  for (const { magic, offset, name } of UNSUPPORTED_MAGIC) {
    if (startsWith(bytes, magic, offset ?? 0)) throw unsupported(fileName, name);
  }
  const extension = extensionOf(fileName);
  const known = UNSUPPORTED_EXTENSIONS[extension];
  if (known) throw unsupported(fileName, known);
  if (extension === "epub" || extension === "docx") {
    throw new IngestError(
      "ingest.corrupt_zip",
      fileName,
      `the file is named .${extension} but is not a ZIP archive, so it is damaged or mislabelled; export it again`,
    );
  }
  if (extension === "pdf") {
    throw new IngestError(
      "ingest.pdf_corrupt",
      fileName,
      "the file is named .pdf but has no PDF header; export it again",
    );
  }
  return "text";
}

/** An `ingest.unsupported_format` error naming what the file seems to be. */
export function unsupported(fileName: string, what: string): IngestError {
  return new IngestError(
    "ingest.unsupported_format",
    fileName,
    `this looks like ${what}, which LitinkAI cannot read; convert it to ${SUPPORTED}`,
    { details: { detected: what } },
  );
}

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((byte, i) => bytes[offset + i] === byte);
}
