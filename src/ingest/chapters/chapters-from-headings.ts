import type { MarkupBlock } from "../xml/markup-to-blocks.ts";
import type { ChapterDraft } from "./chapter-draft.ts";
import { classifyMatterByTitle } from "./classify-matter.ts";
import { detectChapters } from "./detect-chapters.ts";
import { parseHeading } from "./parse-heading.ts";

/**
 * Chapters of a document whose headings are marked up (Markdown, DOCX): the level is chosen by
 * structure — a lone top heading at the start is the book's title, a level whose headings read as parts
 * ("Part One", "Book II") holds the chapters one level down, else the shallowest level used twice.
 */
export function chaptersFromHeadings(
  blocks: readonly MarkupBlock[],
  workTitle: string,
): { chapters: ChapterDraft[]; title: string | null } {
  const levels = [1, 2, 3, 4, 5, 6].map((level) => blocks.filter((b) => b.heading === level));
  let title: string | null = null;
  let skipIndex = -1;
  const firstHeading = blocks.findIndex((b) => b.heading !== null);
  let chapterLevel = levels.findIndex((list) => list.length >= 2) + 1;
  const top = levels.findIndex((list) => list.length > 0) + 1;
  if (
    top > 0 &&
    levels[top - 1]!.length === 1 &&
    chapterLevel > top &&
    firstHeading >= 0 &&
    blocks[firstHeading]!.heading === top
  ) {
    title = blocks[firstHeading]!.text;
    skipIndex = firstHeading;
  }
  let partLevel = 0;
  if (chapterLevel > 0) {
    const list = levels[chapterLevel - 1]!;
    const deeper = levels.slice(chapterLevel).findIndex((l) => l.length >= 2);
    const partLike = list.filter((b) => parseHeading(b.text)?.level === "part").length;
    if (deeper >= 0 && partLike >= list.length * 0.5) {
      partLevel = chapterLevel;
      chapterLevel = chapterLevel + deeper + 1;
    }
  }
  if (chapterLevel === 0) {
    // No heading styles used twice: manuscripts often type "Chapter One" as a plain paragraph.
    const rest = blocks.filter((_, i) => i !== skipIndex).map((b) => b.text.replace(/\n/g, " "));
    return { chapters: detectChapters(rest.join("\n\n"), { workTitle: title ?? workTitle }), title };
  }
  const chapters: ChapterDraft[] = [];
  let current: { title: string; part: string | null; paragraphs: string[]; front: boolean } | null = null;
  let part: string | null = null;
  const front: string[] = [];
  let seenBody = false;
  const flush = () => {
    if (!current) return;
    const matter = classifyMatterByTitle(current.title, seenBody) ?? "body";
    if (matter === "body") seenBody = true;
    chapters.push({
      title: current.title,
      label: null,
      part: matter === "body" ? current.part : null,
      matter,
      paragraphs: current.paragraphs,
    });
  };
  blocks.forEach((block, i) => {
    if (i === skipIndex) return;
    if (block.heading !== null && partLevel > 0 && block.heading === partLevel) {
      flush();
      current = null;
      part = block.text;
      return;
    }
    if (block.heading !== null && block.heading <= chapterLevel) {
      flush();
      current = { title: block.text, part, paragraphs: [], front: false };
      return;
    }
    if (current) current.paragraphs.push(block.text);
    else front.push(block.text);
  });
  flush();
  if (front.length > 0)
    chapters.unshift({ title: "Front matter", label: null, part: null, matter: "front", paragraphs: front });
  return { chapters, title };
}
