import path from "node:path";
import { LitinkError } from "../errors/index.ts";
import type { BookDocument, Chapter } from "../ingest/index.ts";
import type { ChapterRange } from "./pipeline-types.ts";

/**
 * The chapters a request renders: the book's body chapters (front and back matter are skipped), all of
 * them or the 1-based range asked for. A range outside the book is a user error naming the count.
 */
export function selectChapters(document: BookDocument, range: ChapterRange | undefined): Chapter[] {
  const body = document.chapters.filter((chapter) => chapter.matter === "body" && chapter.words > 0);
  const file = document.metadata.fileName || path.basename(document.metadata.title);
  if (body.length === 0) {
    throw new LitinkError("pipeline.no_chapters", `${file}: the book has no body text to adapt`, {
      userFacing: true,
    });
  }
  if (!range) return body;
  if (range.from < 1 || range.to < range.from || range.to > body.length) {
    throw new LitinkError(
      "pipeline.chapters_out_of_range",
      `${file} has ${body.length} chapter${body.length === 1 ? "" : "s"}; --chapters ${range.from === range.to ? range.from : `${range.from}-${range.to}`} is out of range (use 1-${body.length})`,
      { userFacing: true, details: { chapters: body.length, range } },
    );
  }
  return body.slice(range.from - 1, range.to);
}

/** Parses `--chapters 3` or `--chapters 1-3`. */
export function parseChapterRange(text: string): ChapterRange {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  if (!match) {
    throw new LitinkError(
      "pipeline.bad_chapters",
      `--chapters takes a number or a range like 1-3, got "${text}"`,
      {
        userFacing: true,
      },
    );
  }
  const from = Number(match[1]);
  return { from, to: match[2] === undefined ? from : Number(match[2]) };
}
