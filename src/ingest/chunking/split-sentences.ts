/** A sentence as a character range of the text it came from. */
export interface SentenceSpan {
  readonly start: number;
  readonly end: number;
}

const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "st",
  "jr",
  "sr",
  "prof",
  "rev",
  "gen",
  "col",
  "capt",
  "lt",
  "sgt",
  "mt",
  "vs",
  "etc",
  "e.g",
  "i.e",
  "no",
  "vol",
  "ch",
  "fig",
  "hon",
  "messrs",
  "mme",
  "mlle",
  "esq",
  "ft",
  "co",
  "inc",
  "ltd",
]);

/**
 * Splits text into sentences at ".", "!", "?" or "…" followed by optional closing quotes or brackets
 * and white space, unless the word before is a known abbreviation or a single initial ("J. Walker").
 * Spans cover the text without gaps except the white space between sentences.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  // Matches start only at the beginning of a punctuation run, so "......" costs linear time.
  const boundary = /(?<![.!?…])[.!?…]+["'”’)\]»]*(?=\s+\S)|\n{2,}/g;
  let start = skipSpace(text, 0);
  for (let match = boundary.exec(text); match !== null; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    if (!match[0].startsWith("\n")) {
      const before = /([\p{L}.]+)[.!?…]*["'”’)\]»]*$/u.exec(
        text.slice(Math.max(start, match.index - 12), end),
      );
      const word = before?.[1]?.replace(/\.+$/, "").toLowerCase() ?? "";
      if (
        match[0][0] === "." &&
        (ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(before?.[1]?.replace(/\.+$/, "") ?? ""))
      ) {
        continue;
      }
    }
    const sentenceEnd = match[0].startsWith("\n") ? match.index : end;
    if (sentenceEnd > start) spans.push({ start, end: trimEnd(text, start, sentenceEnd) });
    start = skipSpace(text, end);
  }
  if (start < text.length) {
    const end = trimEnd(text, start, text.length);
    if (end > start) spans.push({ start, end });
  }
  return spans;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function trimEnd(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && /\s/.test(text[i - 1]!)) i--;
  return i;
}
