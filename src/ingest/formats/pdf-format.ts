import type { ChapterDraft } from "../chapters/chapter-draft.ts";
import { classifyMatterByTitle } from "../chapters/classify-matter.ts";
import { detectChapters } from "../chapters/detect-chapters.ts";
import { buildBook } from "../document/build-document.ts";
import type { BookDocument, Matter } from "../document/index.ts";
import { IngestError } from "../ingest-error.ts";
import { baseName, type SourceFile } from "../source-file.ts";
import {
  itemsToLines,
  linesToParagraphs,
  type PdfLine,
  type PdfTextItem,
  removeRunningLines,
} from "./pdf-page-text.ts";

interface OutlineStart {
  readonly title: string;
  readonly page: number;
  /** Top of the destination on its page, when the outline gives one. */
  readonly y: number | null;
}

interface PdfOutlineNode {
  readonly title: string;
  readonly dest: unknown;
  readonly items: PdfOutlineNode[];
}

/**
 * Reads a PDF with a text layer (pdf.js through unpdf): the outline (bookmarks) gives the chapters when
 * present, else the plain-text heading heuristics run on the page text. Running headers, footers and page
 * numbers are removed and line-end hyphenation repaired. Encrypted PDFs and scans without text are refused.
 */
export async function readPdf(source: SourceFile): Promise<BookDocument> {
  const { fileName, deadline } = source;
  const { getDocumentProxy } = await import("unpdf");
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    pdf = await deadline.race(
      getDocumentProxy(new Uint8Array(source.bytes), {
        isEvalSupported: false,
        verbosity: 0,
        stopAtErrors: false,
      }),
    );
  } catch (error) {
    if (error instanceof IngestError) throw error;
    const name = (error as { name?: string }).name ?? "";
    if (name === "PasswordException") {
      throw new IngestError(
        "ingest.pdf_encrypted",
        fileName,
        "the PDF is password-protected; remove the password (print to PDF without protection) and try again",
        {
          cause: error,
        },
      );
    }
    throw new IngestError(
      "ingest.pdf_corrupt",
      fileName,
      "the PDF is damaged and cannot be opened; export it again",
      { cause: error },
    );
  }
  try {
    const info = ((await deadline.race(pdf.getMetadata()).catch(() => null))?.info ?? {}) as Record<
      string,
      unknown
    >;
    const pages: PdfLine[][] = [];
    let characters = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      deadline.check();
      const page = await deadline.race(pdf.getPage(number));
      const content = await deadline.race(page.getTextContent());
      const lines = itemsToLines(content.items as PdfTextItem[]);
      for (const line of lines) characters += line.text.length;
      pages.push(lines);
      page.cleanup();
    }
    if (characters < Math.max(20, pdf.numPages * 10)) {
      throw new IngestError(
        "ingest.pdf_no_text_layer",
        fileName,
        "scanned PDF: no text layer, OCR is not supported; use an EPUB or a text PDF of the book",
        { details: { pages: pdf.numPages, characters } },
      );
    }
    const outline = await readOutline(pdf, deadline);
    const cleaned = removeRunningLines(pages);
    const title = stringField(info.Title) ?? baseName(fileName);
    const facts = { title, author: stringField(info.Author), language: stringField(info.Language) };
    const drafts =
      outline.length > 0
        ? chaptersFromOutline(cleaned, outline)
        : detectChapters(cleaned.map((lines) => linesToParagraphs(lines).join("\n\n")).join("\n\n"), {
            workTitle: title,
            author: facts.author,
            tick: () => deadline.tick(),
          });
    return buildBook(source, "pdf", facts, drafts);
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw new IngestError(
      "ingest.pdf_corrupt",
      fileName,
      "the PDF is damaged and its pages cannot be read; export it again",
      {
        cause: error,
      },
    );
  } finally {
    void pdf.destroy().catch(() => {});
  }
}

async function readOutline(
  pdf: Awaited<ReturnType<typeof import("unpdf").getDocumentProxy>>,
  deadline: SourceFile["deadline"],
): Promise<OutlineStart[]> {
  const outline = ((await deadline.race(pdf.getOutline()).catch(() => null)) ?? []) as PdfOutlineNode[];
  let level = outline;
  if (level.length === 1 && (level[0]?.items.length ?? 0) >= 2) level = level[0]!.items;
  // Parts holding chapters: when most top-level bookmarks have children, the children are the chapters.
  const withChildren = level.filter((node) => node.items.length >= 2).length;
  if (withChildren >= 2 && withChildren >= level.length * 0.5) {
    level = level.flatMap((node) => (node.items.length >= 2 ? node.items : [node]));
  }
  const starts: OutlineStart[] = [];
  for (const node of level) {
    try {
      const dest =
        typeof node.dest === "string" ? await deadline.race(pdf.getDestination(node.dest)) : node.dest;
      if (!Array.isArray(dest) || dest.length === 0) continue;
      const ref = dest[0];
      const page = typeof ref === "number" ? ref : await deadline.race(pdf.getPageIndex(ref));
      const y = typeof dest[3] === "number" ? dest[3] : null;
      starts.push({ title: node.title.replace(/\s+/g, " ").trim(), page, y });
    } catch (error) {
      if (error instanceof IngestError) throw error;
    }
  }
  return starts;
}

function chaptersFromOutline(pages: PdfLine[][], outline: readonly OutlineStart[]): ChapterDraft[] {
  const sorted = [...outline].sort((a, b) => a.page - b.page || (b.y ?? 1e9) - (a.y ?? 1e9));
  const buckets: PdfLine[][] = sorted.map(() => []);
  const front: PdfLine[] = [];
  pages.forEach((lines, pageIndex) => {
    lines.forEach((line, lineIndex) => {
      let owner = -1;
      for (let k = 0; k < sorted.length; k++) {
        const start = sorted[k]!;
        if (
          start.page < pageIndex ||
          (start.page === pageIndex && (start.y === null || line.y <= start.y + 2))
        )
          owner = k;
      }
      const placed = lineIndex === 0 ? { ...line, pageStart: true } : line;
      (owner < 0 ? front : buckets[owner]!).push(placed);
    });
  });
  const drafts: ChapterDraft[] = [];
  if (front.length > 0) {
    drafts.push({
      title: "Front matter",
      label: null,
      part: null,
      matter: "front",
      paragraphs: linesToParagraphs(front),
    });
  }
  let seenBody = false;
  sorted.forEach((start, k) => {
    const lines = dropHeadingLines(buckets[k]!, start.title);
    const matter: Matter = classifyMatterByTitle(start.title, seenBody) ?? "body";
    if (matter === "body") seenBody = true;
    drafts.push({
      title: start.title,
      label: null,
      part: null,
      matter,
      paragraphs: linesToParagraphs(lines),
    });
  });
  return drafts;
}

/** Drops the printed chapter heading ("Chapter I", the title, maybe in small caps over two lines). */
function dropHeadingLines(lines: PdfLine[], title: string): PdfLine[] {
  const normal = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  const target = normal(title);
  let i = 0;
  let consumed = "";
  while (i < lines.length && i < 6) {
    const text = normal(lines[i]!.text);
    if (/^(?:chapter|part|book)\s*[\divxlc]+\.?$/i.test(lines[i]!.text.trim()) || text === "") {
      i++;
      continue;
    }
    if (text.length > 0 && target.startsWith(consumed + text)) {
      consumed += text;
      i++;
      continue;
    }
    break;
  }
  return consumed.length > 0 || i > 0
    ? lines.slice(i).map((line, j) => (j === 0 ? { ...line, pageStart: true } : line))
    : lines;
}

function stringField(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value.trim() : null;
}
