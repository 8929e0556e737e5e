import type { ProbedMedia } from "../ffmpeg/index.ts";
import type { Analysis } from "./analysis-parser.ts";
import type { QcExpectations } from "./qc-expectations.ts";
import type { QcCheck, TimeRange } from "./qc-report.ts";
import { intersectRanges, mergeRanges, totalLength } from "./ranges.ts";

/** Longest black stretch allowed where the timeline has none, seconds. */
const MAX_BLACK = 2;
/** Longest silence allowed where narration is scheduled, seconds. */
const MAX_SILENCE = 3;
/** Minimum share of narrated time that captions must cover. */
const MIN_CAPTION_COVERAGE = 0.95;

/** Turns measurements into checks; without expectations only what any good file must pass is checked. */
export function buildChecks(
  probe: ProbedMedia,
  analysis: Analysis,
  expected: QcExpectations | undefined,
): QcCheck[] {
  const checks: QcCheck[] = [];
  const check = (
    name: QcCheck["name"],
    passed: boolean,
    measured: string,
    expectation: string,
    timestamps: readonly TimeRange[] = [],
  ): void => {
    checks.push({ name, passed, measured, expected: expectation, timestamps });
  };
  const video = probe.streams.find((stream) => stream.type === "video");
  const audio = probe.streams.find((stream) => stream.type === "audio");
  const counts = `${probe.streams.filter((s) => s.type === "video").length} video, ${probe.streams.filter((s) => s.type === "audio").length} audio`;
  check("streams", Boolean(video && audio), counts, "1 video, 1 audio");
  const codecs =
    `${video?.codec ?? "none"} ${video?.profile ?? ""} ${video?.pixelFormat ?? ""} + ${audio?.codec ?? "none"}`.replace(
      /\s+/g,
      " ",
    );
  check(
    "codec",
    video?.codec === "h264" &&
      video.profile === "High" &&
      video.pixelFormat === "yuv420p" &&
      audio?.codec === "aac",
    codecs,
    "h264 High yuv420p + aac",
  );
  if (expected) {
    const size = `${video?.width ?? 0}x${video?.height ?? 0}`;
    check(
      "resolution",
      video?.width === expected.width && video.height === expected.height,
      size,
      `${expected.width}x${expected.height}`,
    );
    const fps = video?.fps ?? 0;
    check("fps", Math.abs(fps - expected.fps) < 0.01, `${round(fps, 3)} fps`, `${expected.fps} fps`);
    const frame = 1 / expected.fps;
    const durationOff = Math.abs(probe.duration - expected.duration);
    check(
      "duration",
      Number.isFinite(probe.duration) && durationOff <= frame + 0.001,
      `${round(probe.duration, 3)} s`,
      `${round(expected.duration, 3)} s ±${round(frame, 3)} s`,
      durationOff > frame
        ? [
            {
              start: Math.min(probe.duration, expected.duration),
              end: Math.max(probe.duration, expected.duration),
            },
          ]
        : [],
    );
  }
  const target = expected?.loudnessTarget ?? -16;
  const ceiling = expected?.truePeakCeiling ?? -1;
  const integrated = analysis.integrated;
  if (expected && !expected.hasAudio) {
    check("loudness", true, `${formatDb(integrated)} LUFS`, "no audio in the timeline: not checked");
  } else {
    check(
      "loudness",
      integrated !== undefined && Math.abs(integrated - target) <= 1,
      `${formatDb(integrated)} LUFS`,
      `${target} ±1 LUFS`,
    );
  }
  const peak = analysis.truePeak;
  check(
    "true-peak",
    peak !== undefined && !Number.isNaN(peak) && peak <= ceiling,
    `${formatDb(peak)} dBTP`,
    `<= ${ceiling} dBTP`,
    mergeRanges(analysis.peakTimes.map((time) => ({ start: Math.max(0, time - 0.1), end: time }))),
  );
  const allowed = expected?.allowedBlack ?? [];
  const badBlack = analysis.black.filter(
    (range) =>
      range.end - range.start > MAX_BLACK &&
      range.end - range.start - totalLength(intersectRanges([range], allowed)) > MAX_BLACK / 4,
  );
  check(
    "black",
    badBlack.length === 0,
    badBlack.length === 0
      ? "no unexpected black"
      : `${badBlack.length} black stretch(es), longest ${round(longest(badBlack), 2)} s`,
    `no black stretch > ${MAX_BLACK} s outside dark clips`,
    badBlack,
  );
  const narration = expected?.narration ?? [];
  const badSilence = analysis.silence.filter(
    (range) => totalLength(intersectRanges([range], narration)) > MAX_SILENCE,
  );
  check(
    "silence",
    badSilence.length === 0,
    badSilence.length === 0
      ? "no silence under narration"
      : `${badSilence.length} silent stretch(es), longest ${round(longest(badSilence), 2)} s`,
    `no silence > ${MAX_SILENCE} s where narration is scheduled`,
    badSilence,
  );
  if (expected) {
    const captions = expected.captions;
    const outside = (captions ?? []).filter(
      (cue) => cue.start < 0 || cue.end > probe.duration + 1 / expected.fps,
    );
    check(
      "captions-range",
      outside.length === 0,
      outside.length === 0 ? "all cues inside the video" : `${outside.length} cue(s) outside the video`,
      `cues within 0..${round(probe.duration, 3)} s`,
      outside,
    );
    const narrated = totalLength(narration);
    if (!captions || narrated === 0) {
      check(
        "captions-coverage",
        true,
        captions ? "no narration" : "no captions in the timeline",
        `>= ${MIN_CAPTION_COVERAGE * 100}% of narrated time`,
      );
    } else {
      const covered = totalLength(intersectRanges(narration, captions));
      const share = covered / narrated;
      const uncovered = subtract(mergeRanges(narration), mergeRanges(captions));
      check(
        "captions-coverage",
        share >= MIN_CAPTION_COVERAGE,
        `${round(share * 100, 1)}% of narrated time`,
        `>= ${MIN_CAPTION_COVERAGE * 100}% of narrated time`,
        share >= MIN_CAPTION_COVERAGE ? [] : uncovered,
      );
    }
  }
  check(
    "decode",
    analysis.errors.length === 0,
    analysis.errors.length === 0
      ? "decoded without errors"
      : `${analysis.errors.length} error(s): ${analysis.errors.slice(0, 2).join(" | ")}`,
    "no decoding errors",
  );
  return checks;
}

function subtract(from: readonly TimeRange[], remove: readonly TimeRange[]): TimeRange[] {
  let pieces = [...from];
  for (const cut of remove) {
    pieces = pieces.flatMap((piece) => {
      if (cut.end <= piece.start || cut.start >= piece.end) return [piece];
      const parts: TimeRange[] = [];
      if (cut.start > piece.start) parts.push({ start: piece.start, end: cut.start });
      if (cut.end < piece.end) parts.push({ start: cut.end, end: piece.end });
      return parts;
    });
  }
  return pieces;
}

function longest(ranges: readonly TimeRange[]): number {
  return Math.max(0, ...ranges.map((range) => range.end - range.start));
}

function formatDb(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "n/a";
  return Number.isFinite(value) ? round(value, 1) : "-inf";
}

function round(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}
