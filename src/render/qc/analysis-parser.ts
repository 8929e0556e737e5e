import { parseEbur128Summary } from "../audio/index.ts";
import type { TimeRange } from "./qc-report.ts";

/** What one analysis pass over a file (blackdetect, ebur128, silencedetect, decoding) printed. */
export interface Analysis {
  /** Integrated loudness, LUFS; undefined when there was no audio. */
  readonly integrated: number | undefined;
  /** True peak, dBTP (-Infinity for silence). */
  readonly truePeak: number | undefined;
  /** Times (seconds) of the ebur128 frames whose true peak went over the ceiling. */
  readonly peakTimes: readonly number[];
  readonly black: readonly TimeRange[];
  readonly silence: readonly TimeRange[];
  /** Decoder error lines. */
  readonly errors: readonly string[];
}

/** An ebur128 frame line: its time and the true peak of each channel. */
const FRAME_LINE = /\bt:\s*([\d.]+)\s+TARGET:.*TPK:\s*((?:(?:-?[\d.]+|-inf)\s+)+)dBFS/;

function framePeak(match: RegExpExecArray): number {
  return Math.max(...(match[2] ?? "").trim().split(/\s+/).map(decibels));
}

/**
 * Keeps the stderr lines the analysis needs: everything except ebur128's line per 100 ms, of which
 * only those over `ceiling` dBTP are kept (their times locate clipping).
 */
export function analysisLineFilter(ceiling: number): (line: string) => boolean {
  return (line) => {
    const frame = FRAME_LINE.exec(line);
    if (!frame) return true;
    return framePeak(frame) > ceiling;
  };
}

/** Parses the stderr of the analysis pass (run with `-loglevel level+info`). */
export function parseAnalysis(stderr: string, duration: number): Analysis {
  const lines = stderr.split(/\r?\n/);
  const { integrated, truePeak } = parseEbur128Summary(stderr);
  const peakTimes: number[] = [];
  const errors: string[] = [];
  const black: TimeRange[] = [];
  const silence: TimeRange[] = [];
  let silenceStart: number | undefined;
  for (const line of lines) {
    const frame = FRAME_LINE.exec(line);
    if (frame) {
      peakTimes.push(Number(frame[1]));
      continue;
    }
    const blackMatch = /black_start:\s*([\d.]+)\s+black_end:\s*([\d.]+)/.exec(line);
    if (blackMatch) black.push({ start: Number(blackMatch[1]), end: Number(blackMatch[2]) });
    const silenceStartMatch = /silence_start:\s*(-?[\d.]+)/.exec(line);
    if (silenceStartMatch) silenceStart = Math.max(0, Number(silenceStartMatch[1]));
    const silenceEndMatch = /silence_end:\s*([\d.]+)/.exec(line);
    if (silenceEndMatch && silenceStart !== undefined) {
      silence.push({ start: silenceStart, end: Number(silenceEndMatch[1]) });
      silenceStart = undefined;
    }
    if (/\[(error|fatal|panic)\]/.test(line)) errors.push(line.trim());
  }
  // A silence running to the end of the file has a start but no end line.
  if (silenceStart !== undefined && duration - silenceStart > 0)
    silence.push({ start: silenceStart, end: duration });
  return {
    integrated,
    truePeak,
    peakTimes,
    black,
    silence,
    errors,
  };
}

/** A decibel figure as FFmpeg prints it ("-inf" for silence); NaN when missing. */
export function decibels(text: string | undefined): number {
  if (text === undefined) return Number.NaN;
  return text === "-inf" ? Number.NEGATIVE_INFINITY : Number(text);
}
