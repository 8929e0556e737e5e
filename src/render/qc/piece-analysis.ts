import type { TrackPiece } from "../audio/aac-splice.ts";
import { AAC_FRAME } from "../audio/aac-splice.ts";
import { gatedLoudness } from "../audio/block-loudness.ts";
import { parseEbur128Summary } from "../audio/ebur128-summary.ts";
import { SAMPLE_RATE } from "../audio/sample-rate.ts";
import { analysisDecodeArgs } from "../ffmpeg/run-ffmpeg.ts";
import { type Analysis, decibels } from "./analysis-parser.ts";
import { SILENCE_LEVEL, SILENCE_SECONDS } from "./audio-analysis.ts";
import type { TimeRange } from "./qc-report.ts";
import { mergeRanges } from "./ranges.ts";

/**
 * What QC measured of one piece of an AAC track, decoded, in the piece's own time (so a piece that
 * moves along the track keeps it): plain JSON cached beside the piece, silent decibel values `null`.
 */
export interface PieceAnalysis {
  /** Momentary loudness (LUFS) of each whole 400 ms block inside the piece, one per 100 ms. */
  readonly blocks: readonly (number | null)[];
  /** True peak (dBTP) of each 100 ms frame from the piece's start. */
  readonly peaks: readonly (number | null)[];
  /** True peak of the whole piece, dBTP. */
  readonly truePeak: number | null;
  /** Silent stretches, seconds from the piece's start (any length: joined across pieces later). */
  readonly silence: readonly TimeRange[];
  readonly errors: readonly string[];
}

/** ebur128 logs a frame every 100 ms; its momentary block is the last 400 ms (whole from the 4th on). */
const FRAME_STEP = SAMPLE_RATE / 10;
const FRAMES_PER_BLOCK = 4;
/**
 * Silences are reported from 10 ms (pieces can be as short as one AAC frame, 21 ms), so stretches cut
 * by piece boundaries can be joined again; the few milliseconds a cut may hide are bridged.
 */
const PIECE_SILENCE_SECONDS = 0.01;
const BRIDGED_SECONDS = 2 * PIECE_SILENCE_SECONDS;

/** An ebur128 frame line: momentary loudness and the frame's own true peak per channel (FTPK). */
const FRAME_LINE =
  /\bt:\s*[\d.]+\s+TARGET:.*?\bM:\s*(-?[\d.]+|-inf)\s.*?\bFTPK:\s*((?:(?:-?[\d.]+|-inf)\s+)+)dBFS/;

/** Decoded sample where the piece's own samples start: sample 0 is the encoder's priming frame. */
function decodedStart(piece: TrackPiece): number {
  return piece.start - piece.inputStart + AAC_FRAME;
}

/**
 * FFmpeg arguments that decode the ADTS encode of `piece` (`file`: the whole encoder output, priming
 * packet and neighbours' samples included) and measure the piece's own samples: ebur128 with true peak,
 * and silencedetect at QC's level.
 */
export function pieceAnalysisArgs(file: string, piece: TrackPiece): string[] {
  const from = decodedStart(piece);
  return analysisDecodeArgs(file, [
    "-vn",
    "-af",
    `atrim=start_sample=${from}:end_sample=${from + piece.audibleEnd - piece.start},` +
      `ebur128=peak=true,silencedetect=n=${SILENCE_LEVEL}:d=${PIECE_SILENCE_SECONDS}`,
  ]);
}

/** Reads what {@link pieceAnalysisArgs} printed for `piece`. */
export function parsePieceAnalysis(stderr: string, piece: TrackPiece): PieceAnalysis {
  const blocks: (number | null)[] = [];
  const peaks: (number | null)[] = [];
  const silence: TimeRange[] = [];
  const errors: string[] = [];
  // silencedetect prints times of the decoded stream.
  const shift = decodedStart(piece) / SAMPLE_RATE;
  const length = (piece.audibleEnd - piece.start) / SAMPLE_RATE;
  const addSilence = (start: number, end: number): void => {
    const clipped = { start: Math.max(0, start - shift), end: Math.min(length, end - shift) };
    if (clipped.end > clipped.start) silence.push(clipped);
  };
  let frames = 0;
  let silenceStart: number | undefined;
  for (const line of stderr.split(/\r?\n/)) {
    const match = FRAME_LINE.exec(line);
    if (match) {
      frames += 1;
      if (frames >= FRAMES_PER_BLOCK) blocks.push(finite(decibels(match[1])));
      peaks.push(finite(Math.max(...(match[2] ?? "").trim().split(/\s+/).map(decibels))));
      continue;
    }
    const started = /silence_start:\s*(-?[\d.]+)/.exec(line);
    if (started) silenceStart = Number(started[1]);
    const ended = /silence_end:\s*([\d.]+)/.exec(line);
    if (ended && silenceStart !== undefined) {
      addSilence(silenceStart, Number(ended[1]));
      silenceStart = undefined;
    }
    if (/\[(error|fatal|panic)\]/.test(line)) errors.push(line.trim());
  }
  if (silenceStart !== undefined) addSilence(silenceStart, shift + length);
  const truePeak = parseEbur128Summary(stderr).truePeak;
  return { blocks, peaks, truePeak: finite(truePeak ?? Number.NaN), silence, errors };
}

/**
 * The analysis of a whole track from its pieces' analyses, in order: integrated loudness gated
 * (BS.1770) over every piece's blocks (the few blocks that would straddle a cut are not measured),
 * the highest true peak, the frames over `ceiling`, and the silences of {@link SILENCE_SECONDS} or more
 * once joined across the cuts.
 */
export function combinePieceAnalyses(
  analyses: readonly { readonly piece: TrackPiece; readonly analysis: PieceAnalysis }[],
  ceiling: number,
): Analysis {
  const blocks: number[] = [];
  const peakTimes: number[] = [];
  const silence: TimeRange[] = [];
  let truePeak = Number.NEGATIVE_INFINITY;
  for (const { piece, analysis } of analyses) {
    const start = piece.start / SAMPLE_RATE;
    blocks.push(...analysis.blocks.map((block) => block ?? Number.NEGATIVE_INFINITY));
    truePeak = Math.max(truePeak, analysis.truePeak ?? Number.NEGATIVE_INFINITY);
    analysis.peaks.forEach((peak, index) => {
      if ((peak ?? Number.NEGATIVE_INFINITY) > ceiling) {
        peakTimes.push(start + ((index + 1) * FRAME_STEP) / SAMPLE_RATE);
      }
    });
    silence.push(
      ...analysis.silence.map((range) => ({ start: start + range.start, end: start + range.end })),
    );
  }
  return {
    integrated: blocks.length > 0 ? gatedLoudness(blocks) : undefined,
    truePeak: analyses.length > 0 ? truePeak : undefined,
    peakTimes,
    black: [],
    silence: mergeRanges(silence.map((range) => ({ ...range, end: range.end + BRIDGED_SECONDS })))
      .map((range) => ({ ...range, end: range.end - BRIDGED_SECONDS }))
      .filter((range) => range.end - range.start >= SILENCE_SECONDS),
    errors: analyses.flatMap(({ analysis }) => analysis.errors),
  };
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
