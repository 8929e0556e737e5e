import { describe, expect, it } from "vitest";
import { TimelineSchema } from "../render/index.ts";
import { buildTimeline, type TimelineScene } from "./build-timeline.ts";

const scene = (id: string, chapter: number, seconds: number): TimelineScene => ({
  id,
  chapterOrdinal: chapter,
  chapterTitle: `Chapter ${chapter}`,
  imagePath: `/tmp/${id}.png`,
  audioPath: `/tmp/${id}.wav`,
  audioSeconds: seconds,
  words: [
    { word: "Hello", start: 0.3, end: 0.7 },
    { word: "there.", start: 0.8, end: 1.2 },
  ],
});

describe("buildTimeline", () => {
  const timeline = TimelineSchema.parse(
    buildTimeline([scene("a", 1, 4), scene("b", 1, 5), scene("c", 2, 3)], {
      title: "A Story",
      author: "Someone",
      width: 1280,
      height: 720,
      watermark: "Made with LitinkAI",
    }),
  );

  it("opens with a title card and gives each scene a clip that carries its track", () => {
    expect(timeline.clips.map((clip) => clip.id)).toEqual(["title", "a", "b", "c"]);
    expect(timeline.clips[1]).toMatchObject({
      type: "image",
      path: "/tmp/a.png",
      narration: { path: "/tmp/a.wav" },
    });
    expect(timeline.clips[1]?.duration).toBeCloseTo(4.72);
    // Whole frames at 25 fps, so segments keep their content when earlier scenes change length.
    for (const clip of timeline.clips)
      expect(Math.abs(clip.duration * 25 - Math.round(clip.duration * 25))).toBeLessThan(1e-6);
  });

  it("places captions on the video timeline, after the title card", () => {
    const cues = timeline.captions?.cues ?? [];
    expect(cues.map((cue) => cue.text)).toEqual(["Hello there.", "Hello there.", "Hello there."]);
    expect(cues[0]?.start).toBeCloseTo(3.3);
    expect(cues[1]?.start).toBeCloseTo(3 + 4.72 + 0.3);
  });

  it("marks a chapter where each book chapter starts", () => {
    expect(timeline.chapters).toEqual([
      { title: "Chapter 1", start: 0 },
      { title: "Chapter 2", start: 3 + 4.72 + 5.72 },
    ]);
  });

  it("adds the watermark only when asked", () => {
    expect(timeline.watermark).toMatchObject({ type: "text", text: "Made with LitinkAI" });
    const plain = buildTimeline([scene("a", 1, 2)], { title: "T", width: 640, height: 360 });
    expect(plain.watermark).toBeUndefined();
  });
});
