import type { Matter } from "../document/index.ts";

// Whole titles only ("Notes", not "Notes on a Scandal"), trailing punctuation allowed.
const whole = (words: string) => new RegExp(`^(?:${words})\\s*[.:]?$`, "i");
const FRONT = whole(
  "cover|front ?cover|title ?page|half[- ]?title|copyright page|imprint|(?:table of )?contents|dedication|epigraph|frontispiece|(?:list of )?illustrations|preface|foreword|introduction|editor'?s? (?:note|introduction|preface)|translator'?s? (?:note|preface|introduction)|publisher'?s? note|prefatory note|author'?s? (?:note|preface)|note on the text|a note on the text|by the same author",
);
const BACK = whole(
  "colophon|uncopyright|licen[cs]e|endnotes|end ?notes|footnotes|index|bibliography|glossary|about the (?:author|authors|publisher|translator)|acknowledge?ments|transcriber'?s? notes?|advertisements?|appendix(?: [a-z0-9]+)?|afterword|credits|back ?cover|reading group guide|discussion questions",
);
// Prefixes that are never story titles.
const BACK_PREFIX =
  /^(?:(?:the )?full project gutenberg|project gutenberg(?:'s|’s)?(?: ebook)? licen[cs]e|also by |other (?:books|works|titles) by |more from |about the author)/i;
const AMBIGUOUS = whole("copyright|acknowledge?ments|notes");

// Matter an EPUB declares with epub:type tokens (EPUB 3 Structural Semantics Vocabulary).
const FRONT_TYPES = new Set([
  "frontmatter",
  "cover",
  "titlepage",
  "halftitlepage",
  "copyright-page",
  "imprint",
  "toc",
  "dedication",
  "epigraph",
  "foreword",
  "preface",
  "loi",
  "lot",
  "seriespage",
  "landmarks",
  "acknowledgments-front",
]);
const BACK_TYPES = new Set([
  "backmatter",
  "colophon",
  "endnotes",
  "footnotes",
  "rearnotes",
  "index",
  "glossary",
  "bibliography",
  "appendix",
  "afterword",
  "copyright",
  "uncopyright",
  "acknowledgments",
  "contributors",
  "other-credits",
  "license",
]);

/**
 * Front or back matter by title ("Contents", "Colophon", "Project Gutenberg License"); null when the
 * title looks like story text. `afterBody` says whether the section comes after the first body chapter,
 * which decides ambiguous titles such as "Notes" or "Copyright".
 */
export function classifyMatterByTitle(title: string, afterBody: boolean): Matter | null {
  const clean = title
    .replace(/^[\s"“'‘*_[(]+|[\s"”'’*_\])]+$/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (AMBIGUOUS.test(clean)) return afterBody ? "back" : "front";
  if (FRONT.test(clean))
    return afterBody && !/^(?:preface|introduction|foreword)/i.test(clean) ? "back" : "front";
  if (BACK.test(clean) || BACK_PREFIX.test(clean)) return "back";
  return null;
}

/** Front or back matter from space-separated epub:type tokens; null when they say nothing. */
export function classifyMatterByEpubType(types: string): Matter | null {
  const tokens = types.toLowerCase().split(/\s+/);
  if (tokens.includes("bodymatter")) {
    return null;
  }
  for (const token of tokens) {
    const bare = token.replace(/^[a-z0-9]+:/, "");
    if (FRONT_TYPES.has(bare)) return "front";
    if (BACK_TYPES.has(bare)) return "back";
  }
  return null;
}
