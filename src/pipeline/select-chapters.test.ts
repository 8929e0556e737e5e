import { describe, expect, it } from "vitest";
import type { BookDocument } from "../ingest/index.ts";
import { parseChapterRange, selectChapters } from "./select-chapters.ts";

const chapter = (ordinal: number, matter: "body" | "front" | "back") => ({
  ordinal,
  title: `C${ordinal}`,
  label: null,
  part: null,
  matter,
  paragraphs: ["Some words here."],
  words: 3,
});

const book = {
  version: 1,
  kind: "book",
  metadata: {
    title: "B",
    author: null,
    language: null,
    format: "text",
    fileName: "b.txt",
    contentHash: "0".repeat(64),
    bytes: 1,
  },
  chapters: [
    chapter(1, "front"),
    chapter(2, "body"),
    chapter(3, "body"),
    chapter(4, "body"),
    chapter(5, "back"),
  ],
} as BookDocument;

describe("chapter selection", () => {
  it("uses body chapters only, 1-based", () => {
    expect(selectChapters(book, undefined).map((c) => c.ordinal)).toEqual([2, 3, 4]);
    expect(selectChapters(book, { from: 2, to: 3 }).map((c) => c.ordinal)).toEqual([3, 4]);
  });

  it("names the chapter count when a range is out of the book", () => {
    expect(() => selectChapters(book, { from: 4, to: 4 })).toThrow(
      "b.txt has 3 chapters; --chapters 4 is out of range (use 1-3)",
    );
  });

  it("parses ranges and refuses anything else", () => {
    expect(parseChapterRange("3")).toEqual({ from: 3, to: 3 });
    expect(parseChapterRange("1-3")).toEqual({ from: 1, to: 3 });
    expect(() => parseChapterRange("one")).toThrow(
      '--chapters takes a number or a range like 1-3, got "one"',
    );
  });
});
