import { detectChapters } from "../chapters/detect-chapters.ts";
import { buildBook } from "../document/build-document.ts";
import type { BookDocument } from "../document/index.ts";
import { IngestError } from "../ingest-error.ts";
import { baseName, type SourceFile } from "../source-file.ts";
import { stripGutenberg } from "../text/strip-gutenberg.ts";

/**
 * Reads an already-decoded plain-text book: Project Gutenberg header, footer and license removed,
 * chapters detected.
 */
export function readPlainText(source: SourceFile, text: string): BookDocument {
  const gutenberg = stripGutenberg(text.replace(/\r\n?/g, "\n"));
  const body = gutenberg.body;
  if (body.trim().length === 0) {
    throw new IngestError(
      "ingest.no_text",
      source.fileName,
      "the file has no readable text; check that it is the book and not only its license",
    );
  }
  const title = gutenberg.title ?? guessTitle(body) ?? baseName(source.fileName);
  const drafts = detectChapters(body, {
    workTitle: title,
    author: gutenberg.author,
    tick: () => source.deadline.tick(),
  });
  return buildBook(source, "text", { title, author: gutenberg.author, language: gutenberg.language }, drafts);
}

/** A first line that is short and stands alone reads as the title. */
function guessTitle(body: string): string | null {
  const first = body
    .trimStart()
    .split(/\r?\n\s*\r?\n/, 1)[0]
    ?.replace(/\s+/g, " ")
    .trim();
  if (!first || first.length > 80 || /[.!?,;]$/.test(first)) return null;
  return first;
}
