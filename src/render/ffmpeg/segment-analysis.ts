import type { SegmentAnalysis } from "../renderer.ts";
import { analysisDecodeArgs, runFfmpeg } from "./run-ffmpeg.ts";

/**
 * Marks black frames as QC's `blackdetect=pix_th=0.10` judges them: 98% of the picture at luma 37
 * or less (16 + 0.10 × 219, limited range). A pass-through filter, so it runs inside the encoding
 * graph and costs no second decode.
 */
export const BLACK_FRAME_FILTER = "blackframe=amount=98:threshold=38";

const BLACK_FRAME_LINE = /\bParsed_blackframe_\d+ @ [^\]]*\].*?\bframe:(\d+) pblack:/;
const ERROR_LINE = /\[(error|fatal|panic)\]/;

/** Collects a segment's analysis from the stderr lines of a run with {@link BLACK_FRAME_FILTER}. */
export function createSegmentAnalyser(fps: number): {
  /** Feed every stderr line (run with `-loglevel level+info`). */
  readonly onLine: (line: string) => void;
  /** Whether a line is worth keeping in the run's stderr (not a black-frame line). */
  readonly keep: (line: string) => boolean;
  readonly result: () => SegmentAnalysis;
} {
  const blackFrames: number[] = [];
  const errors: string[] = [];
  return {
    onLine: (line) => {
      const black = BLACK_FRAME_LINE.exec(line);
      if (black) blackFrames.push(Number(black[1]));
      else if (ERROR_LINE.test(line)) errors.push(line.trim());
    },
    keep: (line) => !BLACK_FRAME_LINE.test(line),
    result: () => ({ black: blackRuns(blackFrames, fps), errors }),
  };
}

/** Runs of consecutive black frames as time ranges (seconds), each ending where its last frame ends. */
function blackRuns(frames: readonly number[], fps: number): { start: number; end: number }[] {
  const sorted = [...new Set(frames)].sort((a, b) => a - b);
  const runs: { start: number; end: number }[] = [];
  let first: number | undefined;
  let last = -2;
  for (const frame of sorted) {
    if (first !== undefined && frame === last + 1) {
      last = frame;
      continue;
    }
    if (first !== undefined) runs.push({ start: first / fps, end: (last + 1) / fps });
    first = frame;
    last = frame;
  }
  if (first !== undefined) runs.push({ start: first / fps, end: (last + 1) / fps });
  return runs;
}

/**
 * Analyses a segment file already on disk by decoding it (for segments cached before analyses were
 * stored with them): black frames and decoding errors.
 */
export async function analyseSegmentFile(
  ffmpegPath: string,
  file: string,
  fps: number,
  signal?: AbortSignal,
): Promise<SegmentAnalysis> {
  const analyser = createSegmentAnalyser(fps);
  await runFfmpeg(ffmpegPath, analysisDecodeArgs(file, ["-an", "-vf", BLACK_FRAME_FILTER]), {
    signal,
    label: `analyse ${file}`,
    onStderrLine: analyser.onLine,
    keepStderrLine: analyser.keep,
  });
  return analyser.result();
}
