import { describe, expect, it } from "vitest";
import { isLitinkError } from "../errors/index.ts";
import { ASPECT_PRESETS, type AspectPreset, outputSize } from "./formats/index.ts";
import { parseTimeline } from "./parse-timeline.ts";
import { layoutTimeline } from "./timeline-layout.ts";

const base = { version: 1, output: { width: 320, height: 180, fps: 25 } };

function problemsOf(input: unknown): string[] {
  try {
    parseTimeline(input, "t.json");
  } catch (error) {
    if (isLitinkError(error, "render.invalid_timeline") && error.userFacing)
      return error.details.problems as string[];
    throw error;
  }
  return [];
}

describe("parseTimeline", () => {
  it("fills defaults", () => {
    const timeline = parseTimeline({
      ...base,
      clips: [{ id: "a", type: "colour", colour: "#000000", duration: 1 }],
    });
    expect(timeline.output).toMatchObject({ quality: "standard", loudnessTarget: -16, truePeak: -1.5 });
    expect(timeline.chapters).toEqual([]);
  });

  it("names the field of schema errors", () => {
    expect(problemsOf({ ...base, clips: [{ id: "a", type: "sparkles", duration: 1 }] })[0]).toMatch(
      /^clips\.0\.type: /,
    );
    expect(problemsOf({ ...base, output: { width: 8000, height: 180 }, clips: [] }).join("\n")).toMatch(
      /output\.width/,
    );
  });

  it("rejects odd sizes, crossfades longer than their clips and duplicate ids", () => {
    const problems = problemsOf({
      ...base,
      output: { width: 321, height: 180 },
      clips: [
        { id: "a", type: "colour", colour: "#000000", duration: 1 },
        {
          id: "a",
          type: "colour",
          colour: "#ffffff",
          duration: 2,
          transitionIn: { type: "crossfade", duration: 1.5 },
        },
      ],
    });
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/odd side/);
    expect(problems.join("\n")).toMatch(/duplicate clip id/);
    expect(problems.join("\n")).toMatch(/transitionIn\.duration: 1\.5s/);
  });

  it("accepts a narration cut (from, length) and a motion range, and rejects a reversed range", () => {
    const image = { id: "a", type: "image", path: "/x.png", duration: 1 };
    const timeline = parseTimeline({
      ...base,
      clips: [
        {
          ...image,
          motion: { type: "zoom-in", range: { from: 1 / 3, to: 2 / 3 } },
          narration: { path: "/n.wav", from: 2.5, length: 1 },
        },
      ],
    });
    const clip = timeline.clips[0];
    expect(clip?.narration).toMatchObject({ from: 2.5, length: 1, offset: 0 });
    expect(clip?.type === "image" && clip.motion.range).toEqual({ from: 1 / 3, to: 2 / 3 });
    expect(
      problemsOf({ ...base, clips: [{ ...image, motion: { type: "pan", range: { from: 0.6, to: 0.2 } } }] }),
    ).toEqual(["clips.0 (a).motion.range: to (0.2) must not be before from (0.6)"]);
    expect(
      problemsOf({ ...base, clips: [{ ...image, narration: { path: "/n.wav", length: 0 } }] })[0],
    ).toMatch(/^clips\.0\.narration\.length: /);
  });

  it("rejects captions, chapters and thumbnails past the end: durations must add up", () => {
    const problems = problemsOf({
      ...base,
      clips: [{ id: "a", type: "colour", colour: "#000000", duration: 2 }],
      captions: { cues: [{ start: 1, end: 3, text: "too late" }] },
      chapters: [{ title: "Later", start: 5 }],
      thumbnailAt: 2,
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/captions\.cues\.0: ends at 3s, after the video ends \(2\.000s\)/);
  });
});

describe("layoutTimeline", () => {
  it("puts crossfades in the head of the next segment and keeps fades in place", () => {
    const layout = layoutTimeline(
      parseTimeline({
        ...base,
        clips: [
          { id: "a", type: "colour", colour: "#000000", duration: 2 },
          {
            id: "b",
            type: "colour",
            colour: "#ffffff",
            duration: 2,
            transitionIn: { type: "crossfade", duration: 0.4 },
          },
          {
            id: "c",
            type: "colour",
            colour: "#ff0000",
            duration: 1,
            transitionIn: { type: "fade-black", duration: 0.4 },
          },
        ],
      }),
    );
    expect(layout.totalFrames).toBe(115);
    expect(layout.duration).toBe(4.6);
    expect(
      layout.segments.map((segment) => [segment.startFrame, segment.frames, segment.crossfadeFrames]),
    ).toEqual([
      [0, 40, 0],
      [40, 50, 10],
      [90, 25, 0],
    ]);
    expect(layout.segments[1]?.fadeOutFrames).toBe(5);
    expect(layout.segments[2]?.fadeInFrames).toBe(5);
    expect(layout.segments.reduce((sum, segment) => sum + segment.frames, 0)).toBe(layout.totalFrames);
  });
});

describe("format presets", () => {
  it("gives even sizes whose short side is the cap", () => {
    expect(outputSize("youtube", "720p")).toEqual({ width: 1280, height: 720 });
    expect(outputSize("vertical", "1080p")).toEqual({ width: 1080, height: 1920 });
    expect(outputSize("square", "2160p")).toEqual({ width: 2160, height: 2160 });
    expect(outputSize("portrait", "1080p")).toEqual({ width: 1080, height: 1350 });
    for (const preset of Object.keys(ASPECT_PRESETS) as AspectPreset[]) {
      const { width, height } = outputSize(preset, 125);
      expect((width % 2) + (height % 2)).toBe(0);
    }
  });
});
