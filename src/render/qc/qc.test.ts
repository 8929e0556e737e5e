import { describe, expect, it } from "vitest";
import type { ProbedMedia } from "../ffmpeg/index.ts";
import { analysisLineFilter, parseAnalysis } from "./analysis-parser.ts";
import { buildChecks } from "./qc-checks.ts";
import type { QcExpectations } from "./qc-expectations.ts";

const stderr = `[Parsed_ebur128_1 @ 0x1] [info] Summary:

  Integrated loudness:
    I:         -70.0 LUFS
[blackdetect @ 0x2] [info] black_start:4 black_end:7.04 black_duration:3.04
[silencedetect @ 0x3] [info] silence_start: 1.5
[silencedetect @ 0x3] [info] silence_end: 5.25 | silence_duration: 3.75
[Parsed_ebur128_1 @ 0x4] [info] t: 8.1  TARGET:-23 LUFS    M: -5.0 S: -6.0     I: -8.0 LUFS       LRA:   0.0 LU  FTPK: -0.2 -0.3 dBFS  TPK: 0.1 -0.3 dBFS
[h264 @ 0x5] [error] corrupt macroblock
[silencedetect @ 0x3] [info] silence_start: 9
[Parsed_ebur128_1 @ 0x4] [info] Summary:

  Integrated loudness:
    I:         -8.0 LUFS
    Threshold: -18.0 LUFS

  True peak:
    Peak:        0.1 dBFS
`;

const probe: ProbedMedia = {
  formatName: "mov,mp4",
  duration: 10,
  streams: [
    {
      type: "video",
      codec: "h264",
      profile: "High",
      pixelFormat: "yuv420p",
      width: 320,
      height: 180,
      fps: 25,
      duration: 10,
    },
    {
      type: "audio",
      codec: "aac",
      profile: "LC",
      pixelFormat: undefined,
      width: undefined,
      height: undefined,
      fps: undefined,
      duration: 10,
    },
  ],
  chapters: [],
};

const expected: QcExpectations = {
  width: 320,
  height: 180,
  fps: 25,
  duration: 11,
  loudnessTarget: -16,
  truePeakCeiling: -1,
  hasAudio: true,
  narration: [{ start: 0, end: 10 }],
  allowedBlack: [],
  captions: [{ start: 0, end: 9 }],
};

describe("analysis parser", () => {
  it("reads the last loudness summary, black, silence, peaks and errors", () => {
    const analysis = parseAnalysis(stderr, 10);
    expect(analysis.integrated).toBe(-8);
    expect(analysis.truePeak).toBe(0.1);
    expect(analysis.black).toEqual([{ start: 4, end: 7.04 }]);
    expect(analysis.silence).toEqual([
      { start: 1.5, end: 5.25 },
      { start: 9, end: 10 },
    ]);
    expect(analysis.peakTimes).toEqual([8.1]);
    expect(analysis.errors).toEqual(["[h264 @ 0x5] [error] corrupt macroblock"]);
  });

  it("drops ebur128 frame lines under the ceiling", () => {
    const keep = analysisLineFilter(-1);
    expect(
      keep(
        "[x] [info] t: 1.1  TARGET:-23 LUFS M: -20 S: -20 I: -20 LUFS LRA: 0 LU FTPK: -9 -9 dBFS  TPK: -9.0 -8.5 dBFS",
      ),
    ).toBe(false);
    expect(
      keep(
        "[x] [info] t: 1.1  TARGET:-23 LUFS M: -20 S: -20 I: -20 LUFS LRA: 0 LU FTPK: -9 -9 dBFS  TPK: -0.5 -8.5 dBFS",
      ),
    ).toBe(true);
    expect(keep("black_start:1 black_end:4")).toBe(true);
  });
});

describe("checks", () => {
  it("names the check, the measured value and the timestamps of each failure", () => {
    const checks = buildChecks(probe, parseAnalysis(stderr, 10), expected);
    const failed = Object.fromEntries(
      checks.filter((check) => !check.passed).map((check) => [check.name, check]),
    );
    expect(Object.keys(failed).sort()).toEqual([
      "black",
      "captions-coverage",
      "decode",
      "duration",
      "loudness",
      "silence",
      "true-peak",
    ]);
    expect(failed.loudness?.measured).toBe("-8 LUFS");
    expect(failed["true-peak"]?.timestamps).toEqual([{ start: 8, end: 8.1 }]);
    expect(failed.black?.timestamps).toEqual([{ start: 4, end: 7.04 }]);
    expect(failed.silence?.timestamps).toEqual([{ start: 1.5, end: 5.25 }]);
    expect(failed.duration?.measured).toBe("10 s");
    expect(failed["captions-coverage"]?.measured).toBe("90% of narrated time");
  });

  it("allows black where the timeline is dark", () => {
    const checks = buildChecks(probe, parseAnalysis(stderr, 10), {
      ...expected,
      allowedBlack: [{ start: 3.9, end: 7.1 }],
    });
    expect(checks.find((check) => check.name === "black")?.passed).toBe(true);
  });
});
