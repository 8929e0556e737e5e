import type { WordTiming } from "../../types.ts";
import { readMonoSamples, readWavInfo, writeMonoWav } from "./wav-file.ts";
import { deriveWordTimings } from "./word-timings.ts";

/** One clause as eSpeak NG spoke it on its own, and the silence to put after it. */
export interface SpokenClause {
  readonly text: string;
  readonly wav: Uint8Array;
  /** eSpeak's `-x` lines for this clause. */
  readonly phonemes: readonly string[];
  readonly pauseSeconds: number;
}

/** A line's track: its clauses end to end, with their word timings on it. */
export interface ClauseTrack {
  /** 16-bit mono WAV. */
  readonly wav: Uint8Array;
  /** A whole number of milliseconds. */
  readonly durationSeconds: number;
  readonly words: WordTiming[];
}

/** Samples this close to zero are the silence eSpeak puts around speech. */
const SILENT_SAMPLE = 16;

/**
 * Joins separately spoken clauses into one line, so that a clause's sound and timings never depend on
 * the text of the others: each clause's own silence is trimmed, its speech padded to a whole step of
 * the grid where sample and millisecond boundaries meet (20 ms at 22,050 Hz), and followed by its
 * pause (rounded to the grid). Every clause thus starts on a whole millisecond, its word timings
 * (whole milliseconds, from `deriveWordTimings` on the clause alone) are moved by that amount only,
 * and its first word starts where its speech does and its last ends where its padding does — so the
 * silence between two clauses is exactly the pause, whatever they say. An edit to one clause moves
 * the clauses after it by whole milliseconds and changes nothing else. Pure.
 */
export function clauseTrack(clauses: readonly SpokenClause[]): ClauseTrack {
  const spoken = clauses.map((clause) => {
    const info = readWavInfo(clause.wav);
    return { clause, sampleRate: info.sampleRate, samples: trimSilence(readMonoSamples(clause.wav, info)) };
  });
  const sampleRate = spoken[0]?.sampleRate ?? 22_050;
  if (spoken.some((piece) => piece.sampleRate !== sampleRate)) {
    throw new Error(`clauses came back at different sample rates (${spoken.map((p) => p.sampleRate)})`);
  }
  const step = sampleRate / gcd(sampleRate, 1000);
  const stepMs = (step * 1000) / sampleRate;
  const steps = (samples: number): number => Math.ceil(samples / step);
  const placed: { samples: Int16Array; at: number }[] = [];
  const words: WordTiming[] = [];
  let at = 0;
  for (const { clause, samples } of spoken) {
    const startMs = (at / step) * stepMs;
    const lengthMs = steps(samples.length) * stepMs;
    const timings = deriveWordTimings(clause.text, samples, sampleRate, clause.phonemes);
    timings.forEach((word, index) => {
      const start = index === 0 ? 0 : Math.min(lengthMs, Math.round(word.start * 1000));
      const end = index === timings.length - 1 ? lengthMs : Math.min(lengthMs, Math.round(word.end * 1000));
      words.push({ word: word.word, start: (startMs + start) / 1000, end: (startMs + end) / 1000 });
    });
    placed.push({ samples, at });
    at += (steps(samples.length) + Math.max(0, Math.round((clause.pauseSeconds * sampleRate) / step))) * step;
  }
  const track = new Int16Array(at);
  for (const piece of placed) track.set(piece.samples, piece.at);
  return { wav: writeMonoWav(track, sampleRate), durationSeconds: ((at / step) * stepMs) / 1000, words };
}

/** The samples from the first to the last one that is not silent. */
function trimSilence(samples: Int16Array): Int16Array {
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]!) <= SILENT_SAMPLE) first += 1;
  let last = samples.length;
  while (last > first && Math.abs(samples[last - 1]!) <= SILENT_SAMPLE) last -= 1;
  return samples.subarray(first, last);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
