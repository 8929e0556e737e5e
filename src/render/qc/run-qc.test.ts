import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveFfmpeg } from "../../media/index.ts";
import { createFfmpegRenderer } from "../ffmpeg/index.ts";
import { parseTimeline } from "../parse-timeline.ts";
import { createRenderFixtures, type RenderFixtures } from "../testing/render-fixtures.ts";
import type { TimelineInput } from "../timeline.ts";
import { qc } from "./run-qc.ts";

let fixtures: RenderFixtures;

beforeAll(async () => {
  fixtures = await createRenderFixtures();
});

afterAll(async () => {
  if (fixtures) await rm(fixtures.folder, { recursive: true, force: true });
});

const encode = [
  "-c:v",
  "libx264",
  "-preset",
  "ultrafast",
  "-profile:v",
  "high",
  "-x264-params",
  "8x8dct=1",
  "-pix_fmt",
  "yuv420p",
  "-c:a",
  "aac",
  "-shortest",
];

/** A 96x54 25 fps MP4 from a lavfi video graph and an aevalsrc audio expression. */
async function makeFile(name: string, video: string, audio: string, seconds: number): Promise<string> {
  const file = path.join(fixtures.folder, name);
  await fixtures.ffmpeg([
    "-f",
    "lavfi",
    "-i",
    video,
    "-f",
    "lavfi",
    "-i",
    `aevalsrc=${audio}:s=48000:d=${seconds}`,
    ...encode,
    "-t",
    String(seconds),
    file,
  ]);
  return file;
}

/** One colour clip with narration over the whole of it (the narration file is `narration`). */
function timeline(seconds: number, narration: string, extra: Partial<TimelineInput> = {}): TimelineInput {
  return {
    version: 1,
    output: { width: 96, height: 54, fps: 25 },
    clips: [
      { id: "scene", type: "colour", colour: "#808080", duration: seconds, narration: { path: narration } },
    ],
    captions: { cues: [{ start: 0, end: seconds, text: "words" }] },
    ...extra,
  };
}

const speech = "0.2*sin(2*PI*300*t)";

describe("qc", () => {
  it("finds a silent gap where narration is scheduled", async () => {
    const gap = `${speech}*(lt(t\\,1)+gt(t\\,5))`;
    const file = await makeFile("gap.mp4", "testsrc=s=96x54:r=25:d=6", gap, 6);
    const narration = path.join(fixtures.folder, "gap.wav");
    await fixtures.ffmpeg(["-i", file, "-vn", narration]);
    const report = await qc(file, parseTimeline(timeline(6, narration)));
    const silence = report.checks.find((check) => check.name === "silence");
    expect(report.passed).toBe(false);
    expect(silence?.passed).toBe(false);
    expect(silence?.timestamps).toHaveLength(1);
    expect(silence?.timestamps[0]?.start).toBeCloseTo(1, 0);
    expect(silence?.timestamps[0]?.end).toBeCloseTo(5, 0);
    expect(report.checks.find((check) => check.name === "duration")?.passed).toBe(true);
  });

  it("finds a black gap the timeline does not have, and accepts one it does", async () => {
    const video =
      "testsrc=s=96x54:r=25:d=1[a];color=c=black:s=96x54:r=25:d=3[b];testsrc=s=96x54:r=25:d=1[c];[a][b][c]concat=n=3";
    const file = await makeFile("black.mp4", video, speech, 5);
    const unexpected = await qc(file, parseTimeline(timeline(5, fixtures.narration)));
    const black = unexpected.checks.find((check) => check.name === "black");
    expect(black?.passed).toBe(false);
    expect(black?.measured).toMatch(/1 black stretch\(es\), longest 3/);
    expect(black?.timestamps[0]?.start).toBeCloseTo(1, 1);
    const planned = parseTimeline({
      version: 1,
      output: { width: 96, height: 54, fps: 25 },
      clips: [
        { id: "a", type: "image", path: fixtures.landscapeImage, duration: 1 },
        { id: "night", type: "colour", colour: "#000000", duration: 3 },
        { id: "c", type: "image", path: fixtures.landscapeImage, duration: 1 },
      ],
    });
    const expected = await qc(file, planned);
    expect(expected.checks.find((check) => check.name === "black")?.passed).toBe(true);
  });

  it("finds a wrong duration", async () => {
    const file = await makeFile("short.mp4", "testsrc=s=96x54:r=25:d=4", speech, 4);
    const report = await qc(file, parseTimeline(timeline(5, fixtures.narration)));
    const duration = report.checks.find((check) => check.name === "duration");
    expect(duration).toMatchObject({ passed: false, measured: "4 s", expected: "5 s ±0.04 s" });
    expect(duration?.timestamps).toEqual([{ start: 4, end: 5 }]);
  });

  it("finds a clipped, too loud file", async () => {
    const clipped = "min(1\\,max(-1\\,8*sin(2*PI*300*t)))";
    const file = await makeFile("loud.mp4", "testsrc=s=96x54:r=25:d=4", clipped, 4);
    const report = await qc(file, parseTimeline(timeline(4, fixtures.narration)));
    const loudness = report.checks.find((check) => check.name === "loudness");
    const peak = report.checks.find((check) => check.name === "true-peak");
    expect(loudness?.passed).toBe(false);
    expect(Number.parseFloat(loudness?.measured ?? "")).toBeGreaterThan(-6);
    expect(peak?.passed).toBe(false);
    expect(peak?.timestamps.length).toBeGreaterThan(0);
  });

  it("checks a file without a timeline for what every file needs", async () => {
    const file = await makeFile("plain.mp4", "testsrc=s=96x54:r=25:d=2", "0", 2);
    const report = await qc(file);
    expect(report.checks.map((check) => check.name)).toEqual([
      "streams",
      "codec",
      "loudness",
      "true-peak",
      "black",
      "silence",
      "decode",
    ]);
    expect(report.checks.find((check) => check.name === "codec")?.passed).toBe(true);
  });

  it("checks a render from its segments' analyses and an audio-only pass, as the full decode does", async () => {
    const blackImage = path.join(fixtures.folder, "black.png");
    await fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=black:s=64x36", "-frames:v", "1", blackImage]);
    // 1.5 s + 1.5 s of black pictures (not dark colour clips, so not expected): 3 s across a cut.
    const timeline = parseTimeline({
      version: 1,
      output: { width: 96, height: 54, fps: 25, quality: "draft" },
      clips: [
        {
          id: "lit",
          type: "image",
          path: fixtures.landscapeImage,
          duration: 1,
          narration: { path: fixtures.narration },
        },
        { id: "dark-1", type: "image", path: blackImage, duration: 1.5 },
        { id: "dark-2", type: "image", path: blackImage, duration: 1.5 },
        { id: "end", type: "colour", colour: "#808080", duration: 1 },
      ],
    });
    const cacheDir = path.join(fixtures.folder, "cache-qc-segments");
    const output = path.join(fixtures.folder, "qc-segments", "video.mp4");
    const rendered = await createFfmpegRenderer({ cacheDir }).render(timeline, output);
    // Whole frames: 1.5 s at 25 fps is 38 frames, 1.52 s.
    expect(rendered.segments[1]?.analysis).toEqual({ black: [{ start: 0, end: 1.52 }], errors: [] });
    expect(rendered.segments[0]?.analysis.black).toEqual([]);

    // Segments travel as JSON between machines; the analysis goes with them.
    const segments = JSON.parse(JSON.stringify(rendered.segments));
    const fromSegments = await qc(output, timeline, { segments });
    const fullDecode = await qc(output, timeline);
    expect(fromSegments.checks.map((check) => check.name)).toEqual(
      fullDecode.checks.map((check) => check.name),
    );
    for (const check of fullDecode.checks) {
      const twin = fromSegments.checks.find((candidate) => candidate.name === check.name);
      expect({ name: check.name, passed: twin?.passed }).toEqual({ name: check.name, passed: check.passed });
    }
    const black = fromSegments.checks.find((check) => check.name === "black");
    expect(black?.passed).toBe(false);
    expect(black?.timestamps).toHaveLength(1);
    expect(black?.timestamps[0]?.start).toBeCloseTo(1, 3);
    expect(black?.timestamps[0]?.end).toBeCloseTo(4.04, 3);
    expect(fromSegments.checks.find((check) => check.name === "loudness")?.measured).toBe(
      fullDecode.checks.find((check) => check.name === "loudness")?.measured,
    );

    // Segments of another render (here: one missing) are not trusted: the whole file is decoded.
    const mismatched = await qc(output, timeline, { segments: segments.slice(1) });
    expect(mismatched.checks.find((check) => check.name === "black")?.timestamps).toEqual(black?.timestamps);

    // A re-render takes the segments from the cache, with the analyses stored beside them.
    const again = await createFfmpegRenderer({ cacheDir }).render(timeline, output);
    expect(again.reused).toHaveLength(4);
    expect(again.segments.map((segment) => segment.analysis)).toEqual(
      rendered.segments.map((segment) => segment.analysis),
    );
  });

  it("decodes nothing when the renderer measured the track and the segments analysed themselves", async () => {
    const narrated = parseTimeline({
      version: 1,
      output: { width: 96, height: 54, fps: 25 },
      clips: [
        { id: "a", type: "colour", colour: "#808080", duration: 2, narration: { path: fixtures.narration } },
        { id: "b", type: "colour", colour: "#607080", duration: 2 },
      ],
      captions: { cues: [{ start: 0, end: 2, text: "words" }] },
    });
    const cacheDir = path.join(fixtures.folder, "cache-qc-audio");
    const output = path.join(fixtures.folder, "qc-audio", "video.mp4");
    const rendered = await createFfmpegRenderer({ cacheDir }).render(narrated, output);
    expect(rendered.audioAnalysis?.integrated).toBeTypeOf("number");
    const measured = await qc(output, narrated, { segments: rendered.segments });
    // An FFmpeg that does not exist proves that this QC runs none: it only probes the file.
    const { ffprobe } = await resolveFfmpeg();
    const given = await qc(output, narrated, {
      segments: rendered.segments,
      audio: rendered.audioAnalysis,
      ffmpegPath: path.join(fixtures.folder, "no-ffmpeg-here"),
      ffprobePath: ffprobe.path,
    });
    expect(given.checks).toEqual(measured.checks);
    // A re-render reads the track's analysis from the cache.
    const again = await createFfmpegRenderer({ cacheDir }).render(narrated, output);
    expect(again.audioReused).toBe(true);
    expect(again.audioAnalysis).toEqual(rendered.audioAnalysis);
  });
});
