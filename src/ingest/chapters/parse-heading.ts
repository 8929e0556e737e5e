import { NUMBER_PATTERN, type NumberStyle, parseNumber } from "./parse-number.ts";

/** What a short isolated block of text says about being a heading. */
export interface HeadingCandidate {
  /** "chapter" for chapter-like units, "part" for containers (part, book, volume), "special" for prologue, preface… */
  readonly level: "chapter" | "part" | "special";
  /** Groups headings written the same way ("chapter:roman", "bare:arabic") so sequences can be found. */
  readonly signature: string;
  readonly number: number | null;
  /** The label as written ("CHAPTER IV", "12"). */
  readonly label: string;
  /** A title on the same line or the block's second line, if any. */
  readonly title: string | null;
}

const CHAPTER_WORDS = "chapter|chap\\.?|letter|stave|canto|scene|section|story|tale|adventure|lesson|episode";
const PART_WORDS = "part|book|volume|vol\\.?|act|epoch|period";
const KEYWORD = new RegExp(
  `^(?<kw>${CHAPTER_WORDS}|${PART_WORDS})\\s+(?<num>${NUMBER_PATTERN})\\s*(?:(?<sep>[.:;,—–]|-{1,2})\\s*(?<rest>.*))?$`,
  "i",
);
// "CHAPTER IV THE TITLE": the title follows after plain space; accepted only when it looks like a title.
const KEYWORD_SPACED = new RegExp(
  `^(?<kw>${CHAPTER_WORDS}|${PART_WORDS})\\s+(?<num>${NUMBER_PATTERN})\\s+(?<rest>[\\p{Lu}“"‘'(].*)$`,
  "iu",
);
const BARE = /^(?<num>\d{1,3}|[IVXLC]{1,8})\.?$/;
const BARE_TITLED = /^(?<num>\d{1,3}|[IVXLC]{1,8})(?:\.|:|\s+[—–-]{1,2})\s+(?<rest>\S.{0,100})$/;
const SPECIAL =
  /^(?<kw>prologue|epilogue|preface|foreword|introduction|afterword|conclusion|postscript|interlude|dedication|(?:table of )?contents|appendix(?:\s+[a-z0-9]+)?|notes|footnotes|endnotes|glossary|index|author'?s note|transcriber'?s notes?)\.?(?:\s*(?:[.:—–]|-{1,2})\s*(?<rest>.*))?$/i;
// Every form above starts, after markup, with a digit, a Roman numeral or one of the keywords: blocks
// that start otherwise (nearly all prose) are rejected before any line is split or normalised.
const HEADING_START = new RegExp(
  `^[\\s*_#]*(?:[\\dIVXLC]|${CHAPTER_WORDS}|${PART_WORDS}|prologue|epilogue|preface|foreword|afterword|postscript|dedication|table|appendix|notes|footnotes|endnotes|glossary|author|transcriber)`,
  "iu", // "u" as well: KEYWORD_SPACED folds case the Unicode way.
);
const PAGE_REFERENCE = /(?:\s{2,}|\.\s?\.\s?\.|…)\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$/i;

/** Whether a line looks like a table-of-contents entry (dot leaders or a trailing page number). */
export function isTocLine(line: string): boolean {
  const trimmed = line.trimEnd();
  // Cheap first look: a contents line ends in a page number (digits or a small Roman numeral).
  if (!/[\divxlc]$/i.test(trimmed) || trimmed.length > 160) return false;
  return PAGE_REFERENCE.test(trimmed);
}

/**
 * Reads a block (one paragraph of the source, lines joined with "\n") as a heading candidate, or null.
 * Only short blocks of at most three lines qualify.
 */
export function parseHeading(block: string): HeadingCandidate | null {
  if (block.length > 240 || !HEADING_START.test(block)) return null;
  const lines = block.split("\n").map((line) => line.trim().replace(/\s+/g, " "));
  if (lines.length > 3) return null;
  const first = lines[0] ?? "";
  if (first.length === 0 || first.length > 120 || isTocLine(first)) return null;
  const next = lines.slice(1).join(" ").trim() || null;
  const stripped = first.replace(/^[*_#\s]+|[*_\s]+$/g, "");

  let keyword = KEYWORD.exec(stripped);
  if (!keyword) {
    const spaced = KEYWORD_SPACED.exec(stripped);
    const rest = spaced?.groups?.rest ?? "";
    if (spaced && rest.length <= 100 && isTitleLine(rest) && /^[\p{Lu}“"‘'(]/u.test(rest)) keyword = spaced;
  }
  if (keyword?.groups) {
    const number = parseNumber(keyword.groups.num ?? "");
    if (number) {
      const word = (keyword.groups.kw ?? "").toLowerCase().replace(/\.$/, "");
      const isPart = new RegExp(`^(?:${PART_WORDS})$`, "i").test(word);
      const rest = cleanTitle(keyword.groups.rest ?? "");
      if (rest.length > 100) return null;
      const label = stripped
        .slice(0, stripped.length - (keyword.groups.rest ?? "").length)
        .replace(/[\s.:;,—–-]+$/, "");
      return {
        level: isPart ? "part" : "chapter",
        signature: `${normaliseKeyword(word)}:${styleOf(number.style)}`,
        number: number.value,
        label,
        title: rest || next,
      };
    }
  }
  const bare = BARE.exec(stripped);
  if (bare?.groups && lines.length <= 2) {
    const number = parseNumber(bare.groups.num ?? "");
    if (number && (number.style === "arabic" || /^[IVXLC]+$/.test(bare.groups.num ?? ""))) {
      return {
        level: "chapter",
        signature: `bare:${number.style}`,
        number: number.value,
        label: stripped.replace(/\.$/, ""),
        title: next,
      };
    }
  }
  const titled = BARE_TITLED.exec(stripped);
  if (titled?.groups && lines.length === 1) {
    const number = parseNumber(titled.groups.num ?? "");
    const rest = cleanTitle(titled.groups.rest ?? "");
    // "1. It was late." is a numbered sentence, not a heading: titles rarely end in a full stop.
    if (number && !/[.!?,;]$/.test(rest) && rest.split(/\s+/).length <= 14) {
      return {
        level: "chapter",
        signature: `bare-titled:${number.style}`,
        number: number.value,
        label: titled.groups.num ?? "",
        title: rest,
      };
    }
  }
  const special = SPECIAL.exec(stripped);
  if (special?.groups && lines.length <= 2) {
    const rest = cleanTitle(special.groups.rest ?? "");
    return { level: "special", signature: "special", number: null, label: stripped, title: rest || next };
  }
  return null;
}

/** Whether a single short line reads like a chapter title rather than the first sentence of prose. */
export function isTitleLine(block: string): boolean {
  if (block.includes("\n") && block.split("\n").length > 2) return false;
  const line = block.replace(/\s+/g, " ").trim();
  if (line.length === 0 || line.length > 110 || isTocLine(line)) return false;
  const words = line.split(" ");
  if (words.length > 16) return false;
  if (line === line.toUpperCase() && /[A-Z]/.test(line)) return true;
  if (/[.!?,;:]["”’']?$/.test(line) && !/^["“‘'].*["”’']$/.test(line)) {
    // A title may end in a full stop ("The Old Sea-dog."), prose nearly always has lower-case words.
    const capitalised = words.filter((w) => /^[A-Z0-9"“‘'(]/.test(w)).length;
    return capitalised / words.length >= 0.6 && words.length <= 10;
  }
  return true;
}

function cleanTitle(raw: string): string {
  return raw.replace(/^[\s.:;,—–-]+|[\s*_]+$/g, "").trim();
}

function normaliseKeyword(word: string): string {
  if (word.startsWith("chap")) return "chapter";
  if (word.startsWith("vol")) return "volume";
  return word;
}

function styleOf(style: NumberStyle): string {
  return style;
}
