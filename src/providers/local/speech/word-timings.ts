import type { WordTiming } from "../../types.ts";

/** A stretch of audio, in seconds. */
interface Span {
  start: number;
  end: number;
}

/** Tuning of the pause detector. */
const FRAME_SECONDS = 0.01;
/** A frame is silent below this fraction of the loudest frame's peak. */
const SILENCE_RATIO = 0.02;
/** Silences shorter than this are inside speech (stop consonants), not pauses. */
const MIN_PAUSE_SECONDS = 0.06;

/**
 * Word timings for synthesized speech, derived from eSpeak NG's own output (it exposes no word events
 * in its command-line build):
 * 1. eSpeak's `-x` output gives one line per clause it spoke, with each word's phonemes;
 * 2. the WAV is scanned in 10 ms frames for pauses (silence of 60 ms or more);
 * 3. when the text splits into as many clauses (at , . ; : ! ? —) as eSpeak spoke, the longest pauses
 *    are taken as the clause boundaries, and each clause's speech is shared among its words in proportion
 *    to their phoneme counts (or, when eSpeak's words do not match the text's — numbers, abbreviations —
 *    to their estimated syllables);
 * 4. otherwise the whole speech span is shared among all words by syllables.
 * Timings are monotonic, never overlap, and cover every word of the text (punctuation stripped).
 */
export function deriveWordTimings(
  text: string,
  samples: Int16Array,
  sampleRate: number,
  phonemeLines: readonly string[],
): WordTiming[] {
  const clauses = textClauses(text);
  const words = clauses.flat();
  if (words.length === 0) return [];
  const speech = speechSpans(samples, sampleRate);
  const total = samples.length / sampleRate;
  const spoken = phonemeLines.map(phonemeWords).filter((line) => line.length > 0);
  const extent: Span =
    speech.length > 0 ? { start: speech[0]!.start, end: speech.at(-1)!.end } : { start: 0, end: total };

  const regions = spoken.length === clauses.length ? clauseRegions(speech, clauses.length) : undefined;
  if (!regions) return share(words, words.map(syllables), extent);
  return clauses.flatMap((clause, index) => {
    const phonemes = spoken[index]!;
    const weights =
      phonemes.length === clause.length ? phonemes.map((word) => word.length) : clause.map(syllables);
    return share(clause, weights, regions[index]!);
  });
}

/** Splits text into clauses of words, at the punctuation where eSpeak pauses. */
function textClauses(text: string): string[][] {
  const clauses: string[][] = [[]];
  for (const token of text.split(/\s+/)) {
    const word = token.replace(/^[^\p{L}\p{N}$£€]+|[^\p{L}\p{N}%]+$/gu, "");
    if (word) clauses.at(-1)!.push(word);
    if (/[,.;:!?—–](?:["”’')\]]*)$/.test(token) && clauses.at(-1)!.length > 0) clauses.push([]);
  }
  return clauses.filter((clause) => clause.length > 0);
}

/** The words of one `-x` line, each as its list of phonemes (pause markers dropped). */
function phonemeWords(line: string): string[][] {
  return line
    .trim()
    .split(/\s{2,}/)
    .map((word) => word.split(" ").filter((phoneme) => phoneme && !phoneme.startsWith("_")))
    .filter((word) => word.length > 0);
}

/** Runs of sound in the audio, with silences shorter than a pause bridged. */
function speechSpans(samples: Int16Array, sampleRate: number): Span[] {
  const frame = Math.max(1, Math.round(sampleRate * FRAME_SECONDS));
  const peaks: number[] = [];
  for (let start = 0; start < samples.length; start += frame) {
    let peak = 0;
    const end = Math.min(samples.length, start + frame);
    for (let index = start; index < end; index += 1) peak = Math.max(peak, Math.abs(samples[index]!));
    peaks.push(peak);
  }
  const loudest = Math.max(0, ...peaks);
  if (loudest === 0) return [];
  const threshold = loudest * SILENCE_RATIO;
  const spans: Span[] = [];
  peaks.forEach((peak, index) => {
    if (peak < threshold) return;
    const start = (index * frame) / sampleRate;
    const end = Math.min(samples.length, (index + 1) * frame) / sampleRate;
    const last = spans.at(-1);
    if (last && start - last.end < MIN_PAUSE_SECONDS) last.end = end;
    else spans.push({ start, end });
  });
  return spans;
}

/** Cuts the speech into `count` regions at its `count - 1` longest pauses; undefined when it has too few. */
function clauseRegions(speech: readonly Span[], count: number): Span[] | undefined {
  if (speech.length < count) return undefined;
  const pauses = speech
    .slice(1)
    .map((span, index) => ({ after: index, length: span.start - speech[index]!.end }))
    .sort((a, b) => b.length - a.length || a.after - b.after)
    .slice(0, count - 1)
    .map((pause) => pause.after)
    .sort((a, b) => a - b);
  const regions: Span[] = [];
  let first = 0;
  for (const last of [...pauses, speech.length - 1]) {
    regions.push({ start: speech[first]!.start, end: speech[last]!.end });
    first = last + 1;
  }
  return regions;
}

/** Shares a span among words in proportion to their weights. */
function share(words: readonly string[], weights: readonly number[], span: Span): WordTiming[] {
  const total = weights.reduce((sum, weight) => sum + Math.max(1, weight), 0);
  const timings: WordTiming[] = [];
  let cursor = span.start;
  words.forEach((word, index) => {
    const length = ((span.end - span.start) * Math.max(1, weights[index] ?? 1)) / total;
    const end = index === words.length - 1 ? span.end : cursor + length;
    timings.push({ word, start: round(cursor), end: round(end) });
    cursor = end;
  });
  return timings;
}

/** Estimated syllables of a word: vowel groups, a silent final e dropped, digits counted generously. */
function syllables(word: string): number {
  const lower = word.toLowerCase();
  if (/\d/.test(lower)) return Math.max(2, lower.replace(/\D/g, "").length * 2);
  const groups = lower.replace(/e$/, "").match(/[aeiouyàâäéèêëîïôöûüœæ]+/g)?.length ?? 0;
  return Math.max(1, groups);
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
