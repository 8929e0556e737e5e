import { describe, expect, it } from "vitest";
import { createLocal } from "../providers/local/index.ts";
import { TimelineSchema } from "../render/index.ts";
import { buildTimeline, planShots, speechUnits, type TimelineScene } from "./build-timeline.ts";
import { alignWordsToText } from "./captions.ts";

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
    // A shot's first caption comes up with the shot (here 0.3 s before the first word); its words keep
    // their own times for highlighting.
    expect(cues[0]?.start).toBeCloseTo(3);
    expect(cues[0]?.words?.[0]?.start).toBeCloseTo(3.3);
    expect(cues[1]?.start).toBeCloseTo(3 + 4.72);
    expect(cues[1]?.words?.[0]?.start).toBeCloseTo(3 + 4.72 + 0.3);
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

describe("shots", () => {
  // Three lines: 9 s, 1.65 s and 8.65 s of speech with 0.35 s pauses, after a 0.3 s lead-in.
  const beats = (shift: number) => [
    { start: 0.3, end: 9.3 + shift },
    { start: 9.65 + shift, end: 11.3 + shift },
    { start: 11.65 + shift, end: 20.3 + shift },
  ];
  const wordsOf = (shift: number) => [
    { word: "First", start: 0.3, end: 9.2 + shift },
    { word: "second", start: 9.65 + shift, end: 11.2 + shift },
    { word: "third.", start: 11.65 + shift, end: 20.2 + shift },
  ];
  const scene = (shift: number): TimelineScene => ({
    id: "s",
    chapterOrdinal: 1,
    chapterTitle: "One",
    imagePath: "/tmp/s.png",
    audioPath: `/tmp/s-${shift}.wav`,
    audioSeconds: 20.6 + shift,
    words: wordsOf(shift),
    beats: beats(shift),
  });
  const build = (shift: number) =>
    TimelineSchema.parse(buildTimeline([scene(shift)], { title: "T", width: 640, height: 360 }));

  it("cuts a scene between lines, joining short lines to the next, at least 8 s of speech a shot", () => {
    expect(planShots(beats(0), 20.6)).toEqual([
      { speechStart: 0.3, speechEnd: 9.3, lead: 0.3, tail: expect.closeTo(0.175, 6) },
      { speechStart: 9.65, speechEnd: 20.3, lead: expect.closeTo(0.175, 6), tail: expect.closeTo(1, 6) },
    ]);
    // A short last line joins the shot before it.
    expect(
      planShots(
        [
          { start: 0.3, end: 9.3 },
          { start: 9.65, end: 10.3 },
        ],
        10.3,
      ),
    ).toHaveLength(1);
  });

  it("splits a long line at its clauses, marking sentence ends as the preferred cuts", () => {
    const words = [
      { word: "One.", start: 0.3, end: 1 },
      { word: "Two,", start: 1.3, end: 2 },
      { word: "three!”", start: 2.1, end: 3 },
      { word: "Four", start: 3.5, end: 5.9 },
    ];
    expect(speechUnits([{ start: 0.3, end: 6 }], words)).toEqual([
      { start: 0.3, end: 1, strong: true },
      { start: 1.3, end: 2, strong: false },
      { start: 2.1, end: 3, strong: true },
      { start: 3.5, end: 6, strong: true },
    ]);
    // Without word timings a line is one piece.
    expect(speechUnits([{ start: 0.3, end: 6 }], [])).toEqual([{ start: 0.3, end: 6, strong: true }]);
  });

  it("cuts at a sentence end once a shot has 8 s, and at a clause only once it has 12 s", () => {
    const clause = (start: number, end: number, strong: boolean) => ({ start, end, strong });
    // 9 s then a clause: no cut (mid-sentence, under 12 s); the sentence ends at 13 s.
    expect(
      planShots([clause(0, 9, false), clause(9.2, 13, true), clause(13.2, 22, true)], 22).map(
        (shot) => shot.speechEnd,
      ),
    ).toEqual([13, 22]);
    // A sentence of clauses running past 12 s is cut at the first clause after 12 s.
    expect(
      planShots([clause(0, 6, false), clause(6.2, 12.5, false), clause(12.7, 21, true)], 21).map(
        (shot) => shot.speechEnd,
      ),
    ).toEqual([12.5, 21]);
  });

  it("plays consecutive parts of the scene's track and continues one move across the cuts", () => {
    const [, first, second] = build(0).clips;
    expect(first).toMatchObject({
      id: "s-shot-1",
      transitionIn: { type: "fade-black" },
      narration: { path: "/tmp/s-0.wav", from: 0 },
      motion: { type: "zoom-in", easing: "linear", range: { from: 0, to: 0.5 } },
    });
    expect(second).toMatchObject({
      id: "s-shot-2",
      narration: { from: expect.closeTo(9.475, 6) },
      motion: { type: "zoom-in", range: { from: 0.5, to: 1 } },
    });
    expect(second?.transitionIn).toBeUndefined();
    // The first shot lasts to the middle of the pause (whole frames): the second starts playing there.
    expect(first?.duration).toBeCloseTo(9.48);
  });

  it("keeps a later shot identical when an earlier line changes length", () => {
    const before = build(0);
    const after = build(0.37);
    const clip = (timeline: typeof before) => {
      const { narration, ...rest } = timeline.clips[2]!;
      return { rest, from: narration?.from, length: narration?.length };
    };
    expect(clip(after).rest).toEqual(clip(before).rest);
    expect(clip(after).from).toBeCloseTo((clip(before).from ?? 0) + 0.37, 6);
    // Captions of the later shot sit at the same place inside its segment.
    const relative = (timeline: typeof before) => {
      const start = timeline.clips.slice(0, 2).reduce((sum, c) => sum + c.duration, 0);
      return (timeline.captions?.cues ?? [])
        .filter((cue) => cue.start >= start)
        .map((cue) => Math.round((cue.start - start) * 1000));
    };
    expect(relative(after)).toEqual(relative(before));
    expect(relative(before).length).toBeGreaterThan(0);
  });
});

describe("shots of the offline voice", () => {
  // One long sentence, as the first paragraph of Treasure Island: its shots are cut at clauses.
  const LINE =
    "SQUIRE TRELAWNEY, Dr. Livesey, and the rest of these gentlemen having asked me to write down the " +
    "whole particulars about Treasure Island, from the beginning to the end, keeping nothing back but the " +
    "bearings of the island, and that only because there is still treasure not yet lifted, I take up my pen " +
    "in the year of grace 17__ and go back to the time when my father kept the Admiral Benbow inn.";
  const voice = createLocal().model("voice", "espeak-ng");

  /** A one-line scene as audio generation makes it: 0.3 s of lead-in, the text's own words on the timings. */
  async function timelineOf(text: string) {
    const speech = await voice.generate({ text, voice: "narrator" });
    const words = alignWordsToText(speech.words!, text).map((word) => ({
      ...word,
      start: word.start + 0.3,
      end: word.end + 0.3,
    }));
    const scene: TimelineScene = {
      id: "s",
      chapterOrdinal: 1,
      chapterTitle: "One",
      imagePath: "/tmp/s.png",
      audioPath: "/tmp/s.wav",
      audioSeconds: speech.durationSeconds + 0.3,
      words,
      beats: [{ start: 0.3, end: speech.durationSeconds + 0.3 }],
    };
    return TimelineSchema.parse(buildTimeline([scene], { title: "T", width: 640, height: 360 }));
  }

  it("keeps the shots after an edited clause identical: the same length, move and captions", async () => {
    const before = await timelineOf(LINE);
    const after = await timelineOf(LINE.replace(" and ", " and so "));
    expect(before.clips.length).toBeGreaterThanOrEqual(3);
    expect(after.clips.map((clip) => clip.id)).toEqual(before.clips.map((clip) => clip.id));
    // The edited first shot is longer; every later one only starts later in the track.
    expect(after.clips[1]!.duration).toBeGreaterThan(before.clips[1]!.duration);
    const shift = after.clips[1]!.duration - before.clips[1]!.duration;
    for (const index of before.clips.keys()) {
      if (index < 2) continue;
      const { narration: old, ...rest } = before.clips[index]!;
      const { narration: moved, ...edited } = after.clips[index]!;
      expect(edited).toEqual(rest);
      expect(moved?.length).toBe(old?.length);
    }
    // Captions after the first shot sit at the same places inside their segments, word for word.
    const later = (timeline: typeof before, offset: number) =>
      (timeline.captions?.cues ?? [])
        .filter((cue) => cue.start >= timeline.clips[0]!.duration + timeline.clips[1]!.duration - 1e-6)
        .map((cue) => ({
          text: cue.text,
          start: Math.round((cue.start - offset) * 1000),
          end: Math.round((cue.end - offset) * 1000),
          words: cue.words?.map((word) => Math.round((word.start - offset) * 1000)),
        }));
    expect(later(before, 0).length).toBeGreaterThan(0);
    expect(later(after, shift)).toEqual(later(before, 0));
  });
});
