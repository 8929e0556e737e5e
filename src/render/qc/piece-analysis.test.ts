import { describe, expect, it } from "vitest";
import { AAC_FRAME, planTrackPieces } from "../audio/aac-splice.ts";
import { gatedLoudness } from "../audio/block-loudness.ts";
import { combinePieceAnalyses, parsePieceAnalysis } from "./piece-analysis.ts";

describe("QC analysis of track pieces", () => {
  const frame = (momentary: string, peak: string): string =>
    `[Parsed_ebur128_1 @ 0x1] [info] t: 0.1   TARGET:-23 LUFS    M:${momentary} S:-120.7     I: -70.0 LUFS       LRA:   0.0 LU  FTPK: ${peak} ${peak} dBFS  TPK: -1.0 -1.0 dBFS`;

  it("reads blocks, frame peaks and silences in the piece's own time and joins them across cuts", () => {
    const [first, second] = planTrackPieces([0, 50 * AAC_FRAME], 100 * AAC_FRAME);
    // Decoded sample 0 is the priming frame: the second piece's own samples start 5 frames in (4 of roll).
    const shift = (5 * AAC_FRAME) / 48_000;
    const stderr = [
      frame("-120.7", "-20.0"),
      frame("-120.7", "-inf"),
      frame("-120.7", "-18.0"),
      frame("-21.5", "-0.5"),
      frame("-inf", "-inf"),
      `[silencedetect @ 0x2] [info] silence_start: ${shift + 0.5}`,
      "[aac @ 0x3] [error] Invalid data found",
      "Summary:\n\n  Integrated loudness:\n    I:         -21.0 LUFS\n\n  True peak:\n    Peak:        -0.4 dBFS",
    ].join("\n");
    const analysis = parsePieceAnalysis(stderr, second!);
    expect(analysis.blocks).toEqual([-21.5, null]);
    expect(analysis.peaks).toEqual([-20, null, -18, -0.5, null]);
    expect(analysis.truePeak).toBe(-0.4);
    expect(analysis.errors).toEqual(["[aac @ 0x3] [error] Invalid data found"]);
    const length = (50 * AAC_FRAME) / 48_000;
    expect(analysis.silence[0]?.start).toBeCloseTo(0.5, 6);
    expect(analysis.silence[0]?.end).toBeCloseTo(length, 6);
    // The first piece ends in 2.5 s of silence that runs on into the second: one 3.0 s silence.
    const firstAnalysis = {
      blocks: [-20],
      peaks: [-3],
      truePeak: -3,
      silence: [{ start: length - 2.5, end: length }],
      errors: [],
    };
    const second2 = { ...analysis, silence: [{ start: 0, end: 0.5 }] };
    const combined = combinePieceAnalyses(
      [
        { piece: first!, analysis: firstAnalysis },
        { piece: second!, analysis: second2 },
      ],
      -1,
    );
    expect(combined.truePeak).toBe(-0.4);
    expect(combined.peakTimes).toEqual([length + 0.4]);
    expect(combined.silence).toHaveLength(1);
    expect(combined.silence[0]?.start).toBeCloseTo(length - 2.5, 6);
    expect(combined.silence[0]?.end).toBeCloseTo(length + 0.5, 6);
    expect(combined.integrated).toBeCloseTo(gatedLoudness([-20, -21.5, Number.NEGATIVE_INFINITY]), 6);
  });
});
