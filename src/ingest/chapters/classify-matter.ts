import type { Matter } from "../document/index.ts";

const FRONT =
  /^(?:cover|front ?cover|title ?page|half ?title|copyright(?: page)?|imprint|(?:table of )?contents|dedication|epigraph|frontispiece|illustrations|list of illustrations|preface|foreword|introduction|editor'?s? (?:note|introduction)|translator'?s? (?:note|preface|introduction)|publisher'?s? note|prefatory note|author'?s? (?:note|preface)|note on the text)\b/i;
const BACK =
  /^(?:colophon|uncopyright|license|licence|the full project gutenberg license|project gutenberg(?:'s|’s)? license|project gutenberg license|endnotes|end ?notes|footnotes|notes|index|bibliography|glossary|about the (?:author|publisher)|also by|other (?:books|works) by|acknowledge?ments|transcriber'?s? notes?|advertisements?|appendix|afterword|credits|back ?cover)\b/i;
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
  const clean = title.replace(/^[\s"“'‘*_[(]+/, "").trim();
  if (/^(?:copyright|acknowledge?ments|notes)\b/i.test(clean)) return afterBody ? "back" : "front";
  if (FRONT.test(clean))
    return afterBody && !/^(?:preface|introduction|foreword)/i.test(clean) ? "back" : "front";
  if (BACK.test(clean)) return "back";
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
