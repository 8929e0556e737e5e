import type { ZipArchive } from "../archive/zip-archive.ts";
import { chaptersFromHeadings } from "../chapters/chapters-from-headings.ts";
import { buildBook } from "../document/build-document.ts";
import type { BookDocument } from "../document/index.ts";
import { IngestError } from "../ingest-error.ts";
import { baseName, type SourceFile } from "../source-file.ts";
import { markupToBlocks } from "../xml/markup-to-blocks.ts";
import { findElement, parseMarkup, textOf } from "../xml/parse-markup.ts";

/**
 * Reads a Word .docx with mammoth: Heading 1–6 (and Title) styles become chapters, the level chosen by
 * structure. Every entry is first inflated through the bounded ZIP reader, so a bomb or a lying size is
 * refused before mammoth sees the file.
 */
export async function readDocx(source: SourceFile, archive: ZipArchive): Promise<BookDocument> {
  const { fileName, deadline } = source;
  for (const entry of archive.entries) {
    deadline.check();
    if (!entry.name.endsWith("/")) archive.read(entry.name);
  }
  // Refuse DTDs with entities in the parts mammoth reads, before mammoth's own XML parser sees them.
  for (const part of ["word/document.xml", "word/styles.xml", "docProps/core.xml"]) {
    if (archive.has(part))
      parseMarkup(new TextDecoder().decode(archive.read(part)), fileName, deadline, part);
  }
  const mammoth = await import("mammoth");
  let html: string;
  try {
    const result = await deadline.race(
      mammoth.convertToHtml(
        { buffer: Buffer.from(source.bytes) },
        { styleMap: ["p[style-name='Title'] => p:fresh", "p[style-name='Subtitle'] => p:fresh"] },
      ),
    );
    html = result.value;
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw new IngestError(
      "ingest.docx_corrupt",
      fileName,
      "the Word document is damaged and cannot be read; save it again from Word",
      {
        cause: error,
      },
    );
  }
  const root = parseMarkup(`<body>${html}</body>`, fileName, deadline);
  const { blocks } = markupToBlocks(root, deadline);
  if (blocks.length === 0) {
    throw new IngestError(
      "ingest.no_text",
      fileName,
      "the Word document has no text; check that it is the manuscript",
    );
  }
  const core = archive.has("docProps/core.xml")
    ? parseMarkup(new TextDecoder().decode(archive.read("docProps/core.xml")), fileName, deadline)
    : null;
  const field = (local: string) => {
    const element = core ? findElement(core, (e) => e.local === local) : null;
    return element ? textOf(element) || null : null;
  };
  const styledTitle = titleParagraph(
    new TextDecoder().decode(archive.read("word/document.xml")),
    fileName,
    deadline,
  );
  const titleIndex = styledTitle ? blocks.findIndex((block) => block.text === styledTitle) : -1;
  if (titleIndex >= 0) blocks.splice(titleIndex, 1);
  const fallback = field("title") ?? styledTitle ?? baseName(fileName);
  const { chapters, title } = chaptersFromHeadings(blocks, fallback);
  return buildBook(
    source,
    "docx",
    {
      title: field("title") ?? styledTitle ?? title ?? fallback,
      author: field("creator"),
      language: field("language"),
    },
    chapters,
  );
}

/** The text of the first paragraph styled "Title", which names the book rather than a chapter. */
function titleParagraph(xml: string, fileName: string, deadline: SourceFile["deadline"]): string | null {
  const root = parseMarkup(xml, fileName, deadline, "word/document.xml");
  const paragraph = findElement(
    root,
    (e) =>
      e.local === "p" &&
      findElement(e, (s) => s.local === "pstyle" && /^title$/i.test(s.attributes["w:val"] ?? "")) !== null,
  );
  return paragraph ? textOf(paragraph) || null : null;
}
