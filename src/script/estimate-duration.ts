import type { Beat } from "./script-schema.ts";

/**
 * Narration pace used for estimates: audiobooks are read at about 150–160 words per minute.
 * @defaultValue 155
 */
export const NARRATION_WORDS_PER_MINUTE = 155;

/** The pause added between beats (a breath, a change of voice), in seconds. */
export const BEAT_PAUSE_SECONDS = 0.35;

/** Counts the words of `text` (runs of letters or digits, apostrophes and hyphens inside words). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

/**
 * Estimates how long `text` takes to speak at `wordsPerMinute`, in seconds (rounded to 0.1 s).
 * @example estimateSpeechSeconds("one two three") // 1.2
 */
export function estimateSpeechSeconds(text: string, wordsPerMinute = NARRATION_WORDS_PER_MINUTE): number {
  return Math.round((countWords(text) * 600) / wordsPerMinute) / 10;
}

/** Estimates a scene's length from its beats: speech at narration pace plus a pause between beats. */
export function estimateBeatsSeconds(
  beats: readonly Beat[],
  wordsPerMinute = NARRATION_WORDS_PER_MINUTE,
): number {
  const speech = beats.reduce((total, beat) => total + estimateSpeechSeconds(beat.text, wordsPerMinute), 0);
  const pauses = Math.max(0, beats.length - 1) * BEAT_PAUSE_SECONDS;
  return Math.max(0.1, Math.round((speech + pauses) * 10) / 10);
}
