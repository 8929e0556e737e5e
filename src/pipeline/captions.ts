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
}

const DEFAULT_LIMITS: CueLimits = { maxCharacters: 42, maxSeconds: 5, breakOnPauseSeconds: 0.6 };

/**
 * Groups word timings (already on the video timeline) into caption cues: a new cue at the end of a
 * sentence, at a pause, or when the cue would get too long. Each cue keeps its words for word-by-word
 * highlighting, so captions follow the voice exactly.
 */
export function wordsToCues(words: readonly WordTiming[], limits: Partial<CueLimits> = {}): CaptionCue[] {
  const { maxCharacters, maxSeconds, breakOnPauseSeconds } = { ...DEFAULT_LIMITS, ...limits };
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
  // Cues never overlap: a cue ends where the next begins at the latest.
  for (let i = 0; i + 1 < cues.length; i++) {
    const cue = cues[i]!;
    const next = cues[i + 1]!;
    if (cue.end > next.start) cues[i] = { ...cue, end: next.start };
  }
  return cues.filter((cue) => cue.end > cue.start);
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
