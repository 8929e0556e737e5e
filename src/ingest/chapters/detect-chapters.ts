import type { Matter } from "../document/index.ts";
import { countWords } from "../text/count-words.ts";
import type { ChapterDraft } from "./chapter-draft.ts";
import { classifyMatterByTitle } from "./classify-matter.ts";
import { type HeadingCandidate, isTitleLine, isTocLine, parseHeading } from "./parse-heading.ts";
import { blockToParagraph, splitBlocks } from "./split-blocks.ts";

/** What the chapter detector knows about the work besides its text. */
export interface DetectChaptersOptions {
  /** The work's title, used for a single-section text and to drop a repeated title line. */
  readonly workTitle: string;
  readonly author?: string | null;
  /** Called inside loops so a time budget can stop a runaway parse. */
  readonly tick?: () => void;
}

interface Located {
  readonly index: number;
  readonly heading: HeadingCandidate;
  /** Index of the block holding the title, when it is a block of its own. */
  readonly titleBlock: number | null;
  readonly title: string | null;
}

const MIN_SECTION_WORDS = 20;
const FRONT_SPECIALS = /^(?:preface|foreword|introduction|dedication|(?:table of )?contents|author'?s note)/i;
const BACK_SPECIALS =
  /^(?:appendix|notes|footnotes|endnotes|glossary|index|transcriber'?s notes?|afterword)/i;
const BODY_SPECIALS = /^(?:prologue|epilogue|interlude|conclusion|postscript)/i;

/**
 * Finds the chapters of a plain-text book. Not one regex: every short isolated block is read as a
 * possible heading ("CHAPTER IV", "Letter 4", "PART II", a bare "XII" or "12", "Chapter One. The
 * Title"), candidates are grouped by how they are written, and the group that forms the best numbered
 * sequence with real prose between its members wins. Table-of-contents entries (page numbers, dot
 * leaders, or headings repeated later with nothing under them) are not chapters; parts become the
 * `part` of their chapters; text before the first chapter becomes front matter.
 */
export function detectChapters(text: string, options: DetectChaptersOptions): ChapterDraft[] {
  const tick = options.tick ?? (() => {});
  const blocks = splitBlocks(text);
  const tocBlock = blocks.map(isTocBlock);
  const located = locateHeadings(blocks, tick);
  const blockWords = blocks.map(countWords);
  const draftBody = bodyMaker(blocks, blockWords, text);

  // Prefix sums of words outside table-of-contents blocks, so any range is counted in O(1).
  const prefix = new Float64Array(blocks.length + 1);
  for (let i = 0; i < blocks.length; i++) prefix[i + 1] = prefix[i]! + (tocBlock[i] ? 0 : blockWords[i]!);
  const contentWords = (from: number, to: number): number => {
    const a = Math.min(Math.max(from, 0), blocks.length);
    const b = Math.min(Math.max(to, a), blocks.length);
    return prefix[b]! - prefix[a]!;
  };

  const chapterSignature = pickSignature(
    located.filter((l) => l.heading.level === "chapter"),
    located,
    contentWords,
  );
  const partSignature = pickSignature(
    located.filter((l) => l.heading.level === "part"),
    located,
    contentWords,
    1,
  );
  if (chapterSignature === null && partSignature === null) {
    return [singleSection(blocks, options, draftBody)];
  }

  const chapterLevel = chapterSignature ?? partSignature;
  const usesParts = chapterSignature !== null && partSignature !== null;
  // A second chapter-like sequence entirely before or after the main one counts too
  // (Frankenstein: "Letter 1–4", then "Chapter 1–24").
  const extraSignatures = new Set<string>();
  if (chapterSignature !== null) {
    const main = located.filter((l) => l.heading.signature === chapterSignature);
    const firstMain = main[0]!.index;
    const lastMain = main.at(-1)!.index;
    const others = located.filter(
      (l) =>
        l.heading.level === "chapter" &&
        l.heading.signature !== chapterSignature &&
        !l.heading.signature.startsWith("bare"),
    );
    const signature = pickSignature(
      others.filter((l) => l.index < firstMain || l.index > lastMain),
      located,
      contentWords,
    );
    if (
      signature !== null &&
      others.every((l) => l.heading.signature !== signature || l.index < firstMain || l.index > lastMain)
    ) {
      extraSignatures.add(signature);
    }
  }
  const isChapterLevel = (l: Located) =>
    l.heading.signature === chapterLevel || extraSignatures.has(l.heading.signature);
  let selected = located.filter(
    (l) =>
      isChapterLevel(l) ||
      (usesParts && l.heading.signature === partSignature) ||
      l.heading.level === "special",
  );
  selected = dropTableOfContents(selected, blocks.length, contentWords);
  const firstChapter = selected.findIndex(isChapterLevel);
  const lastChapter = selected.findLastIndex(isChapterLevel);
  selected = selected.filter((l, i) => {
    if (l.heading.level !== "special") return true;
    const name = l.heading.label;
    if (i < firstChapter) return FRONT_SPECIALS.test(name) || BODY_SPECIALS.test(name);
    if (i > lastChapter) return true;
    return BODY_SPECIALS.test(name);
  });

  const drafts: ChapterDraft[] = [];
  const first = selected[0];
  if (first && first.index > 0) {
    const front = range(0, first.index).filter((b) => !isWorkTitleLine(blocks[b]!, options));
    if (front.length > 0) {
      drafts.push({
        title: frontTitle(blocks[front[0]!]!),
        label: null,
        part: null,
        matter: "front",
        ...draftBody(front),
      });
    }
  }
  let part: string | null = null;
  let seenBody = false;
  for (let i = 0; i < selected.length; i++) {
    tick();
    const here = selected[i]!;
    const end = selected[i + 1]?.index ?? blocks.length;
    const start = (here.titleBlock ?? here.index) + 1;
    const body = range(start, end).filter((b) => !/^\s*(?:the end|finis)\.?\s*$/i.test(blocks[b]!));
    const title = here.title ?? here.heading.label;
    if (here.heading.level === "part" && here.heading.signature !== chapterLevel) {
      part = here.title ? `${here.heading.label}: ${here.title}` : here.heading.label;
      // A part's own short text (an epigraph) stays with the part heading; longer text is kept as body.
      if (contentWords(start, end) >= 150) {
        drafts.push({
          title,
          label: here.heading.label,
          part,
          matter: "body",
          ...draftBody(body),
        });
        seenBody = true;
      }
      continue;
    }
    const byTitle =
      here.heading.level === "special"
        ? (classifyMatterByTitle(here.heading.label, seenBody) ?? classifyMatterByTitle(title, seenBody))
        : null;
    const matter: Matter =
      byTitle ??
      (here.heading.level === "special" && BACK_SPECIALS.test(here.heading.label) ? "back" : "body");
    if (matter === "body") seenBody = true;
    drafts.push({
      title,
      label: here.heading.level === "special" ? null : here.heading.label,
      part: matter === "body" ? part : null,
      matter,
      ...draftBody(body),
    });
  }
  return drafts;
}

function locateHeadings(blocks: readonly string[], tick: () => void): Located[] {
  const located: Located[] = [];
  for (let i = 0; i < blocks.length; i++) {
    tick();
    const block = blocks[i]!;
    // Headings are short and start with a letter, a digit or markup; dialogue and prose are skipped cheaply.
    if (block.length > 240 || !/^\s*[\p{L}\p{N}*_#]/u.test(block)) continue;
    const heading = parseHeading(block);
    if (!heading) continue;
    let title = heading.title;
    let titleBlock: number | null = null;
    const nextBlock = blocks[i + 1];
    if (title === null && heading.level !== "special" && nextBlock !== undefined) {
      if (isTitleLine(nextBlock) && parseHeading(nextBlock) === null) {
        title = nextBlock.replace(/\s+/g, " ").trim();
        titleBlock = i + 1;
      }
    }
    located.push({ index: i, heading, titleBlock, title });
  }
  return located;
}

/**
 * The signature whose headings form the longest numbered sequence with prose under them, or null.
 * `minimum` is how many sequential, substantive headings are needed.
 */
function pickSignature(
  candidates: readonly Located[],
  all: readonly Located[],
  contentWords: (from: number, to: number) => number,
  minimum = 2,
): string | null {
  const bySignature = new Map<string, Located[]>();
  for (const candidate of candidates) {
    const list = bySignature.get(candidate.heading.signature) ?? [];
    list.push(candidate);
    bySignature.set(candidate.heading.signature, list);
  }
  let best: string | null = null;
  let bestScore = 0;
  for (const [signature, list] of bySignature) {
    let score = 0;
    let previous = 0;
    for (const candidate of list) {
      const number = candidate.heading.number ?? 0;
      // A part spans its chapters: measure it up to the next heading written the same way.
      const next =
        candidate.heading.level === "part"
          ? nextHeadingIndex(list, candidate.index)
          : nextHeadingIndex(all, candidate.index);
      const substantive =
        contentWords((candidate.titleBlock ?? candidate.index) + 1, next) >= MIN_SECTION_WORDS;
      const sequential = number === previous + 1 || number === 1 || number === 9999;
      if (sequential && substantive) score++;
      previous = number;
    }
    // Bare numbers are weaker evidence than "Chapter 4": demand more of them.
    const needed = signature.startsWith("bare") ? Math.max(minimum, 3) : minimum;
    if (score >= needed && score > bestScore) {
      best = signature;
      bestScore = score;
    }
  }
  return best;
}

/** Drops headings that are table-of-contents entries: thin, and repeated later with the same number. */
function dropTableOfContents(
  selected: readonly Located[],
  blockCount: number,
  contentWords: (from: number, to: number) => number,
): Located[] {
  const kept: Located[] = [];
  for (let i = 0; i < selected.length; i++) {
    const here = selected[i]!;
    const end = selected[i + 1]?.index ?? blockCount;
    const thin = contentWords((here.titleBlock ?? here.index) + 1, end) < MIN_SECTION_WORDS;
    const repeated =
      here.heading.number !== null &&
      selected.some(
        (later, j) =>
          j > i &&
          later.heading.signature === here.heading.signature &&
          later.heading.number === here.heading.number,
      );
    const repeatedSpecial =
      here.heading.level === "special" &&
      selected.some(
        (later, j) => j > i && later.heading.label.toLowerCase() === here.heading.label.toLowerCase(),
      );
    if (thin && (repeated || repeatedSpecial)) continue;
    kept.push(here);
  }
  return kept;
}

function isTocBlock(block: string): boolean {
  if (!hasPageNumberLineEnd(block)) return false;
  const lines = block.split("\n").filter((line) => line.trim().length > 0);
  if (lines.length === 0) return false;
  const tocLines = lines.filter(isTocLine).length;
  return tocLines >= 1 && tocLines >= lines.length * 0.4;
}

/**
 * Whether some line of the block ends in what could be a page number: a space, dot or ellipsis, then
 * 1–4 digits or 1–6 small Roman numerals, then only spaces or tabs. Same answer as the regex
 * `/[\s.…](?:\d{1,4}|[ivxlc]{1,6})[ \t]*(?:\n|$)/i`, but looks only at line ends instead of trying
 * that regex at every space of every prose block.
 */
function hasPageNumberLineEnd(block: string): boolean {
  for (let end = block.indexOf("\n"); ; end = block.indexOf("\n", end + 1)) {
    const lineEnd = end < 0 ? block.length : end;
    if (endsWithPageNumber(block, lineEnd)) return true;
    if (end < 0) return false;
  }
}

function endsWithPageNumber(text: string, lineEnd: number): boolean {
  let i = lineEnd;
  while (i > 0 && (text[i - 1] === " " || text[i - 1] === "\t")) i--;
  const runEnd = i;
  const digits = i > 0 && isDigit(text.charCodeAt(i - 1));
  const inRun = digits ? isDigit : isSmallRoman;
  while (i > 0 && inRun(text.charCodeAt(i - 1))) i--;
  const length = runEnd - i;
  if (length === 0 || length > (digits ? 4 : 6) || i === 0) return false;
  const before = text[i - 1]!;
  return before === "." || before === "…" || /\s/.test(before);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** i, v, x, l, c in either case. */
function isSmallRoman(code: number): boolean {
  const lower = code | 0x20;
  return lower === 105 || lower === 118 || lower === 120 || lower === 108 || lower === 99;
}

function singleSection(
  blocks: readonly string[],
  options: DetectChaptersOptions,
  draftBody: DraftBody,
): ChapterDraft {
  let start = 0;
  while (start < Math.min(blocks.length, 4) && isWorkTitleLine(blocks[start]!, options)) start++;
  return {
    title: options.workTitle,
    label: null,
    part: null,
    matter: "body",
    ...draftBody(range(start, blocks.length)),
  };
}

/** Paragraphs of the given blocks, with their word count when it is already known. */
type DraftBody = (indices: readonly number[]) => { paragraphs: string[]; words?: number };

// Whitespace that `blockToParagraph` turns into a plain space but `countWords` does not split on.
const SPACE_COUNTED_DIFFERENTLY = /[^\S \n\r\t\f\u00a0]/;

/**
 * Builds chapter bodies from block indices. Turning a block into a paragraph only collapses
 * whitespace, so when the text has no whitespace that `countWords` treats differently, the
 * paragraphs' word count is the sum of the blocks' counts, already known: no second counting pass.
 */
function bodyMaker(blocks: readonly string[], blockWords: readonly number[], text: string): DraftBody {
  const countsCarryOver = !SPACE_COUNTED_DIFFERENTLY.test(text);
  return (indices) => {
    const paragraphs = indices.map((i) => blockToParagraph(blocks[i]!));
    if (!countsCarryOver) return { paragraphs };
    let words = 0;
    for (const i of indices) words += blockWords[i]!;
    return { paragraphs, words };
  };
}

function range(from: number, to: number): number[] {
  const indices: number[] = [];
  for (let i = from; i < to; i++) indices.push(i);
  return indices;
}

/** Lines that only repeat the work's title or its byline ("by O. Henry"). */
function isWorkTitleLine(block: string, options: DetectChaptersOptions): boolean {
  const line = block.replace(/\s+/g, " ").trim().toLowerCase();
  if (line.length > 120) return false;
  const title = options.workTitle.toLowerCase();
  if (line === title || line.replace(/[^a-z0-9 ]/g, "") === title.replace(/[^a-z0-9 ]/g, "")) return true;
  return /^by\s+\S/.test(line) && line.split(" ").length <= 8;
}

function frontTitle(block: string): string {
  const line = block.split("\n")[0]!.replace(/\s+/g, " ").trim();
  return line.length <= 60 ? line : "Front matter";
}

/** Index of the first located heading after `index` (binary search; `all` is sorted by index). */
function nextHeadingIndex(all: readonly Located[], index: number): number {
  let low = 0;
  let high = all.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (all[mid]!.index <= index) low = mid + 1;
    else high = mid;
  }
  return all[low]?.index ?? Number.MAX_SAFE_INTEGER;
}
