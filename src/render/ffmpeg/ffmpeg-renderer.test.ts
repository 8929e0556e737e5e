import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLitinkError } from "../../errors/index.ts";
import { type AspectPreset, outputSize } from "../formats/index.ts";
import { parseTimeline } from "../parse-timeline.ts";
import { qc } from "../qc/index.ts";
import { createRenderFixtures, type RenderFixtures } from "../testing/render-fixtures.ts";
import type { TimelineInput } from "../timeline.ts";
import { createFfmpegRenderer } from "./ffmpeg-renderer.ts";
import { probeMedia } from "./probe-media.ts";

let fixtures: RenderFixtures;

beforeAll(async () => {
  fixtures = await createRenderFixtures();
});

afterAll(async () => {
  if (fixtures) await rm(fixtures.folder, { recursive: true, force: true });
});

function timelineFor(preset: AspectPreset): TimelineInput {
  const { width, height } = outputSize(preset, 96);
  return {
    version: 1,
    output: { width, height, fps: 25, quality: "draft" },
    clips: [
      {
        id: "opening",
        type: "image",
        path: fixtures.landscapeImage,
        duration: 1,
        motion: { type: "zoom-in", amount: 0.3 },
        fit: preset === "youtube" ? "crop" : "blur",
        narration: { path: fixtures.narration },
      },
      {
        id: "moving",
        type: "video",
        path: fixtures.video,
        duration: 1,
        fit: "crop",
        transitionIn: { type: "crossfade", duration: 0.4 },
      },
    ],
    music: { path: fixtures.music, volume: 0.3 },
    captions: {
      cues: [{ start: 0, end: 1.5, text: "Once upon a time", words: undefined }],
      style: { highlightWords: true },
    },
    logo: { type: "image", path: fixtures.logo },
    chapters: [
      { title: "Opening", start: 0 },
      { title: "Moving", start: 0.6 },
    ],
  };
}

describe("FFmpeg renderer", () => {
  it.each(["youtube", "vertical", "square", "portrait"] as const)("renders the %s preset", async (preset) => {
    const timeline = parseTimeline(timelineFor(preset));
    const renderer = createFfmpegRenderer({ cacheDir: path.join(fixtures.folder, `cache-${preset}`) });
    const percents: number[] = [];
    const output = path.join(fixtures.folder, preset, "video.mp4");
    const result = await renderer.render(timeline, output, {
      onProgress: (progress) => percents.push(progress.percent),
    });

    expect(result.rendered).toEqual(["opening", "moving"]);
    expect(result.duration).toBeCloseTo(1.6);
    const probe = await probeMedia(fixtures.binaries.ffprobe.path, output);
    const video = probe.streams.find((stream) => stream.type === "video");
    expect(video).toMatchObject({
      codec: "h264",
      profile: "High",
      pixelFormat: "yuv420p",
      ...outputSize(preset, 96),
    });
    expect(probe.streams.filter((stream) => stream.type === "audio").map((stream) => stream.codec)).toEqual([
      "aac",
    ]);
    expect(Math.abs(probe.duration - 1.6)).toBeLessThanOrEqual(0.04);
    expect(probe.chapters.map((chapter) => [chapter.title, chapter.start])).toEqual([
      ["Opening", 0],
      ["Moving", 0.6],
    ]);
    expect(await readFile(result.srtPath, "utf8")).toBe(
      "1\n00:00:00,000 --> 00:00:01,500\nOnce upon a time\n",
    );
    expect(await readFile(result.vttPath, "utf8")).toContain("00:00:00.000 --> 00:00:01.500");
    expect((await readFile(result.thumbnailPath)).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(percents.at(-1)).toBe(100);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));

    const report = await qc(output, timeline);
    expect(report.checks.filter((check) => !check.passed)).toEqual([]);
    // As the pipeline checks it: from the segments' analyses and an audio-only pass.
    const fromSegments = await qc(output, timeline, { segments: result.segments });
    expect(fromSegments.checks.filter((check) => !check.passed)).toEqual([]);
    expect(result.segments.flatMap((segment) => segment.analysis.errors)).toEqual([]);
  });

  it("re-encodes only the edited clip's segment", async () => {
    const cacheDir = path.join(fixtures.folder, "cache-edit");
    const renderer = createFfmpegRenderer({ cacheDir, concurrency: 2 });
    const clips = [
      { id: "a", type: "colour", colour: "#203040", duration: 0.6, narration: { path: fixtures.narration } },
      { id: "b", type: "title", text: "Chapter One", duration: 0.6 },
      { id: "c", type: "image", path: fixtures.portraitImage, duration: 0.6, fit: "blur" },
    ] as const;
    const input = (middle: object, narrationVolume = 1): TimelineInput => ({
      version: 1,
      output: { width: 96, height: 54, fps: 25, quality: "draft" },
      clips: [
        { ...clips[0], narration: { path: fixtures.narration, volume: narrationVolume } },
        { ...clips[1], ...middle },
        clips[2],
      ],
    });
    const output = path.join(fixtures.folder, "edit", "video.mp4");
    const first = await renderer.render(parseTimeline(input({})), output);
    expect(first.rendered).toEqual(["a", "b", "c"]);
    const edited = await renderer.render(parseTimeline(input({ text: "Chapter Two" })), output);
    expect(edited.rendered).toEqual(["b"]);
    expect(edited.reused).toEqual(["a", "c"]);
    expect(edited.audioReused).toBe(true);
    // Narration is mixed for the whole video: changing it re-encodes no video at all.
    const louder = await renderer.render(parseTimeline(input({ text: "Chapter Two" }, 0.5)), output);
    expect(louder.rendered).toEqual([]);
    expect(louder.audioReused).toBe(false);
    // A longer middle clip (no crossfade) moves the clips after it but re-encodes only itself.
    const longer = await renderer.render(
      parseTimeline(input({ text: "Chapter Two", duration: 0.8 }, 0.5)),
      output,
    );
    expect(longer.rendered).toEqual(["b"]);
    expect(longer.reused).toEqual(["a", "c"]);
    // A fresh renderer on the same cache folder (another worker) reuses the segments too.
    const other = await createFfmpegRenderer({ cacheDir }).renderSegment(parseTimeline(input({})), 1);
    expect(other).toMatchObject({ clipId: "b", reused: true, key: first.segments[1]?.key });
  });

  it("renders segments one by one and assembles them, filling short videos by freezing or looping", async () => {
    const renderer = createFfmpegRenderer({ cacheDir: path.join(fixtures.folder, "cache-split") });
    const timeline = parseTimeline({
      version: 1,
      output: { width: 96, height: 72, fps: 25, quality: "draft" },
      clips: [
        { id: "frozen", type: "video", path: fixtures.video, duration: 1.6, fill: "freeze", fit: "contain" },
        { id: "looped", type: "video", path: fixtures.video, duration: 1.6, fill: "loop", trimStart: 0.2 },
      ],
      captions: { burnIn: false, cues: [{ start: 0.1, end: 3, text: "Sidecars only" }] },
    });
    const segments = [await renderer.renderSegment(timeline, 1), await renderer.renderSegment(timeline, 0)];
    for (const segment of segments) {
      const probe = await probeMedia(fixtures.binaries.ffprobe.path, segment.path);
      expect(probe.streams.map((stream) => stream.type)).toEqual(["video"]);
      expect(probe.duration).toBeCloseTo(1.6, 1);
    }
    const output = path.join(fixtures.folder, "split", "video.mp4");
    const result = await renderer.assemble(timeline, segments, output);
    expect(result.segments.map((segment) => segment.clipId)).toEqual(["frozen", "looped"]);
    expect(result.rendered).toEqual(["frozen", "looped"]);
    const report = await qc(output, timeline);
    expect(report.checks.filter((check) => !check.passed).map((check) => check.name)).toEqual([]);
    const fromSegments = await qc(output, timeline, { segments: result.segments });
    expect(fromSegments.checks.filter((check) => !check.passed).map((check) => check.name)).toEqual([]);
    expect(await readFile(result.vttPath, "utf8")).toContain("Sidecars only");
  });

  it("kills FFmpeg and removes partial files when aborted", async () => {
    const renderer = createFfmpegRenderer({ cacheDir: path.join(fixtures.folder, "cache-abort") });
    const controller = new AbortController();
    const output = path.join(fixtures.folder, "abort", "video.mp4");
    const timeline = parseTimeline({
      version: 1,
      output: { width: 320, height: 180, fps: 25, quality: "draft" },
      clips: [
        { id: "long", type: "image", path: fixtures.landscapeImage, duration: 20, motion: { type: "pan" } },
      ],
    });
    const rendering = renderer.render(timeline, output, {
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.stage === "segments" && progress.percent > 0) controller.abort();
      },
    });
    await expect(rendering).rejects.toMatchObject({ code: "render.aborted" });
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial.mp4`)).toBe(false);
    const leftovers = existsSync(path.join(fixtures.folder, "cache-abort", "segments"))
      ? await import("node:fs/promises").then((fs) =>
          fs.readdir(path.join(fixtures.folder, "cache-abort", "segments")),
        )
      : [];
    expect(leftovers).toEqual([]);
  });

  it("catches bad input before FFmpeg runs", async () => {
    const renderer = createFfmpegRenderer({ cacheDir: path.join(fixtures.folder, "cache-bad") });
    const timeline = parseTimeline({
      version: 1,
      output: { width: 96, height: 54, fps: 25 },
      clips: [
        { id: "missing", type: "image", path: path.join(fixtures.folder, "nope.png"), duration: 1 },
        { id: "text", type: "image", path: fixtures.notAnImage, duration: 1 },
        {
          id: "mute",
          type: "colour",
          colour: "#000000",
          duration: 1,
          narration: { path: fixtures.emptyAudio },
        },
        {
          id: "short",
          type: "colour",
          colour: "#000000",
          duration: 0.5,
          narration: { path: fixtures.narration, offset: 0.2 },
        },
      ],
    });
    const error = await renderer
      .render(timeline, path.join(fixtures.folder, "bad.mp4"))
      .catch((caught: unknown) => caught);
    expect(isLitinkError(error, "render.invalid_asset")).toBe(true);
    const problems = (error as { details: { problems: string[] } }).details.problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/clips\.0 \(missing\)\.path: .*nope\.png does not exist/);
    expect(problems[1]).toMatch(/clips\.1 \(text\)\.path: .* is not an image/);
    expect(problems[2]).toMatch(/clips\.2 \(mute\)\.narration\.path: .* is empty/);
    const tooLong = parseTimeline({
      version: 1,
      output: { width: 96, height: 54, fps: 25 },
      clips: [
        {
          id: "short",
          type: "colour",
          colour: "#000000",
          duration: 1,
          narration: { path: fixtures.narration, offset: 0.2 },
        },
      ],
    });
    await expect(renderer.render(tooLong, path.join(fixtures.folder, "bad.mp4"))).rejects.toThrow(
      /durations do not add up/,
    );
    expect(existsSync(path.join(fixtures.folder, "bad.mp4"))).toBe(false);
  });
});
