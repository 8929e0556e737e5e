import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import type { Chapter, Passage } from "../document/index.ts";
import { type SentenceSpan, splitSentences } from "./split-sentences.ts";

/** How to cut a chapter into passages. */
export interface ChunkOptions {
  /** Most tokens (o200k tokenizer) per passage. */
  readonly maxTokens: number;
}

/** The separator between paragraphs in a chapter's text; passages' offsets count it. */
export const PARAGRAPH_SEPARATOR = "\n\n";

// Text is data, never control tokens: "<|endoftext|>" in a book is counted as plain text.
const TOKEN_OPTIONS = { disallowedSpecial: new Set<string>() };

const LONG_RUN = /\S{257,}/;

/**
 * Tokens of `text` with the o200k tokenizer, special-token look-alikes counted as text. Runs of more
 * than 256 non-space characters are counted in 256-character pieces: BPE is quadratic on one long
 * "word", and the piecewise count is never lower in practice, so budgets stay safe.
 */
export function countTextTokens(text: string): number {
  if (!LONG_RUN.test(text)) return countTokens(text, TOKEN_OPTIONS);
  let total = 0;
  for (const piece of text.split(/(\S{256})/)) if (piece) total += countTokens(piece, TOKEN_OPTIONS);
  return total;
}

/**
 * Cuts a chapter into passages of at most `maxTokens` tokens, always between sentences; a single
 * sentence longer than the budget is cut at clause punctuation, then between words. Each passage keeps
 * its position: paragraph range and character offsets in the chapter text (paragraphs joined by a blank line).
 *
 * @example
 * const passages = chunkChapter(document.chapters[3], { maxTokens: 1500 });
 */
export function chunkChapter(
  chapter: Pick<Chapter, "ordinal" | "paragraphs">,
  options: ChunkOptions,
): Passage[] {
  const maxTokens = Math.max(1, Math.floor(options.maxTokens));
  const text = chapter.paragraphs.join(PARAGRAPH_SEPARATOR);
  const paragraphStarts: number[] = [];
  let offset = 0;
  for (const paragraph of chapter.paragraphs) {
    paragraphStarts.push(offset);
    offset += paragraph.length + PARAGRAPH_SEPARATOR.length;
  }
  const units: Array<SentenceSpan & { tokens: number }> = [];
  for (const span of splitSentences(text)) {
    for (const piece of fitSpan(text, span, maxTokens)) units.push(piece);
  }
  const passages: Passage[] = [];
  let i = 0;
  while (i < units.length) {
    const first = units[i]!;
    let end = first.end;
    let estimate = first.tokens;
    let j = i + 1;
    while (j < units.length && estimate + units[j]!.tokens + 1 <= maxTokens) {
      estimate += units[j]!.tokens + 1;
      end = units[j]!.end;
      j++;
    }
    // The estimate ignores merges across sentence joins: check the real count and give back sentences.
    let tokens = countTextTokens(text.slice(first.start, end));
    while (tokens > maxTokens && j - 1 > i) {
      j--;
      end = units[j - 1]!.end;
      tokens = countTextTokens(text.slice(first.start, end));
    }
    passages.push({
      chapterOrdinal: chapter.ordinal,
      index: passages.length,
      text: text.slice(first.start, end),
      tokens,
      paragraphStart: paragraphIndexAt(paragraphStarts, first.start),
      paragraphEnd: paragraphIndexAt(paragraphStarts, Math.max(first.start, end - 1)),
      charStart: first.start,
      charEnd: end,
    });
    i = j;
  }
  return passages;
}

/** A sentence as one unit, or cut at clause punctuation and then between words until each fits. */
function fitSpan(
  text: string,
  span: SentenceSpan,
  maxTokens: number,
): Array<SentenceSpan & { tokens: number }> {
  const tokens = countTextTokens(text.slice(span.start, span.end));
  if (tokens <= maxTokens) return [{ ...span, tokens }];
  const pieces: Array<SentenceSpan & { tokens: number }> = [];
  const separators = [/[;:,—–]\s+/g, /\s+/g];
  for (const separator of separators) {
    const cuts: number[] = [];
    separator.lastIndex = 0;
    const slice = text.slice(span.start, span.end);
    for (let m = separator.exec(slice); m !== null; m = separator.exec(slice))
      cuts.push(span.start + m.index + m[0].length);
    if (cuts.length === 0) continue;
    let start = span.start;
    let last = span.start;
    for (const cut of [...cuts, span.end]) {
      if (countTextTokens(text.slice(start, cut)) > maxTokens && last > start) {
        pieces.push(...fitSpan(text, { start, end: trimEnd(text, start, last) }, maxTokens));
        start = last;
      }
      last = cut;
    }
    pieces.push(...fitSpan(text, { start, end: span.end }, maxTokens));
    return pieces;
  }
  // One unbreakable "word" longer than the budget: cut by characters.
  const size = Math.max(1, Math.floor((span.end - span.start) / Math.ceil(tokens / maxTokens)));
  for (let start = span.start; start < span.end; start += size) {
    const end = Math.min(span.end, start + size);
    pieces.push({ start, end, tokens: countTextTokens(text.slice(start, end)) });
  }
  return pieces;
}

function trimEnd(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && /\s/.test(text[i - 1]!)) i--;
  return i;
}

function paragraphIndexAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return Math.max(0, low);
}
