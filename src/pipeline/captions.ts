import type { WordTiming } from "../providers/index.ts";
import type { CaptionCue } from "../render/index.ts";

/** Limits of one caption cue. */
export interface CueLimits {
  /** @defaultValue 42 (two lines of ~21 characters fit the frame at the default size) */
  readonly maxCharacters: number;
  /** @defaultValue 5 */
  readonly maxSeconds: number;
  /** A pause this long between words starts a new cue. @defaultValue 0.6 */
  readonly breakOnPauseSeconds: number;
  /** A cue stays on screen through a gap this short before the next cue. @defaultValue 1.2 */
  readonly holdSeconds: number;
}

const DEFAULT_LIMITS: CueLimits = {
  maxCharacters: 42,
  maxSeconds: 5,
  breakOnPauseSeconds: 0.6,
  holdSeconds: 1.2,
};

/**
 * Groups word timings (already on the video timeline) into caption cues: a new cue at the end of a
 * sentence, at a pause, or when the cue would get too long. Each cue keeps its words for word-by-word
 * highlighting, so captions follow the voice exactly.
 */
export function wordsToCues(words: readonly WordTiming[], limits: Partial<CueLimits> = {}): CaptionCue[] {
  const { maxCharacters, maxSeconds, breakOnPauseSeconds, holdSeconds } = { ...DEFAULT_LIMITS, ...limits };
  const cues: CaptionCue[] = [];
  let current: WordTiming[] = [];

  const flush = (): void => {
    const first = current[0];
    const last = current[current.length - 1];
    if (first && last) {
      cues.push({
        start: round(first.start),
        end: round(Math.max(last.end, first.start + 0.05)),
        text: current.map((word) => word.word).join(" "),
        words: current.map((word) => ({ text: word.word, start: round(word.start), end: round(word.end) })),
      });
    }
    current = [];
  };

  for (const word of words) {
    const text = word.word.trim();
    if (!text) continue;
    const previous = current[current.length - 1];
    if (previous) {
      const length = current.reduce((total, w) => total + w.word.length + 1, 0) + text.length;
      const tooLong = length > maxCharacters;
      const tooSlow = word.end - (current[0]?.start ?? word.start) > maxSeconds;
      const paused = word.start - previous.end >= breakOnPauseSeconds;
      if (tooLong || tooSlow || paused) flush();
    }
    current.push({ word: text, start: word.start, end: word.end });
    if (/[.!?…]["'”’)]*$/.test(text)) flush();
  }
  flush();
  // Cues never overlap (a cue ends where the next begins at the latest), and a cue stays up through a
  // short pause instead of flickering off between phrases.
  for (let i = 0; i + 1 < cues.length; i++) {
    const cue = cues[i]!;
    const next = cues[i + 1]!;
    if (cue.end > next.start || next.start - cue.end <= holdSeconds) cues[i] = { ...cue, end: next.start };
  }
  return cues.filter((cue) => cue.end > cue.start);
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/**
 * Puts the source text's own words (with their punctuation and capitals) on a provider's word timings,
 * which often come back bare ("cents That was"). Words are matched in order by their letters and
 * digits; a text word the speech skipped (a dash, a symbol) shares its neighbour's timing; when the
 * speech expanded something ("$8" → "eight dollars"), the extra timings merge into the text word.
 */
export function alignWordsToText(words: readonly WordTiming[], text: string): WordTiming[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  if (words.length === 0 || tokens.length === 0) return [...words];
  const key = (value: string): string => value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  const aligned: WordTiming[] = [];
  let w = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    const tokenKey = key(token);
    if (w >= words.length) {
      const last = aligned[aligned.length - 1];
      if (last) aligned[aligned.length - 1] = { ...last, word: `${last.word} ${token}` };
      continue;
    }
    if (tokenKey === "") {
      const last = aligned[aligned.length - 1];
      if (last) aligned[aligned.length - 1] = { ...last, word: `${last.word} ${token}` };
      else aligned.push({ word: token, start: words[w]!.start, end: words[w]!.start });
      continue;
    }
    // Find this token among the next few timings; timings skipped on the way belong to the previous word.
    let match = -1;
    for (let look = w; look < Math.min(words.length, w + 4); look++) {
      if (key(words[look]!.word) === tokenKey) {
        match = look;
        break;
      }
    }
    if (match === -1) {
      // Expanded or unrecognised: take timings until the next token's word appears.
      const nextKey = tokens
        .slice(t + 1)
        .map(key)
        .find(Boolean);
      let end = w;
      while (end + 1 < words.length && key(words[end + 1]!.word) !== nextKey && end - w < 6) end++;
      aligned.push({ word: token, start: words[w]!.start, end: words[end]!.end });
      w = end + 1;
      continue;
    }
    const last = aligned[aligned.length - 1];
    if (match > w && last) aligned[aligned.length - 1] = { ...last, end: words[match - 1]!.end };
    aligned.push({ word: token, start: words[match]!.start, end: words[match]!.end });
    w = match + 1;
  }
  return aligned;
}
