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

  /** A unit of speech: `rank` 2 ends a line, 1 a sentence, 0 a clause; `key` breaks ties. */
  const unit = (start: number, end: number, rank: number, key = 0) => ({ start, end, rank, key });

  it("cuts a scene between lines, in the middle of the pause, at least 8 s from its first and last word", () => {
    // Both pauses are 8 s from the edges and 2 s apart: the better-keyed one is the cut.
    expect(planShots([unit(0.3, 9.3, 2, 5), unit(9.65, 11.3, 2, 1), unit(11.65, 20.3, 2)], 20.6)).toEqual([
      expect.objectContaining({
        speechStart: 0.3,
        speechEnd: 9.3,
        lead: 0.3,
        tail: expect.closeTo(0.175, 6),
      }),
      expect.objectContaining({
        speechStart: 9.65,
        speechEnd: 20.3,
        lead: expect.closeTo(0.175, 6),
        tail: expect.closeTo(1, 6),
      }),
    ]);
    expect(
      planShots([unit(0.3, 9.3, 2, 1), unit(9.65, 11.3, 2, 5), unit(11.65, 20.3, 2)], 20.6).map(
        (shot) => shot.speechEnd,
      ),
    ).toEqual([11.3, 20.3]);
    // A short last line stays with the shot before it.
    expect(planShots([unit(0.3, 9.3, 2), unit(9.65, 10.3, 2)], 10.3)).toHaveLength(1);
  });

  it("splits a long line at its clauses, ranking line ends over sentence ends over clauses", () => {
    const words = [
      { word: "One.", start: 0.3, end: 1 },
      { word: "Two,", start: 1.3, end: 2 },
      { word: "three!”", start: 2.1, end: 3 },
      { word: "Four", start: 3.5, end: 5.9 },
    ];
    const key = expect.any(Number);
    expect(speechUnits([{ start: 0.3, end: 6 }], words)).toEqual([
      { start: 0.3, end: 1, rank: 1, key },
      { start: 1.3, end: 2, rank: 0, key },
      { start: 2.1, end: 3, rank: 1, key },
      { start: 3.5, end: 6, rank: 2, key },
    ]);
    // A title's full stop ends a clause, not a sentence.
    expect(
      speechUnits(
        [{ start: 0, end: 2 }],
        [
          { word: "Dr.", start: 0, end: 0.4 },
          { word: "Livesey.", start: 0.6, end: 2 },
        ],
      ).map((piece) => piece.rank),
    ).toEqual([0, 2]);
    // Without word timings a line is one piece.
    expect(speechUnits([{ start: 0.3, end: 6 }], [])).toEqual([{ start: 0.3, end: 6, rank: 2, key }]);
  });

  it("cuts at a clause only where no sentence ends within 8 s", () => {
    // A clause at 9 s and a sentence end at 13 s: the sentence end is the cut.
    expect(
      planShots([unit(0, 9, 0, 9), unit(9.2, 13, 1), unit(13.2, 22, 2)], 22).map((shot) => shot.speechEnd),
    ).toEqual([13, 22]);
    // A sentence of clauses: the one 8 s from both edges.
    expect(
      planShots([unit(0, 6, 0), unit(6.2, 12.5, 0), unit(12.7, 21, 2)], 21).map((shot) => shot.speechEnd),
    ).toEqual([12.5, 21]);
  });

  it("decides each cut from the speech around it, so a longer line moves no cut after it", () => {
    // Forty 3.9 s lines with 0.35 s pauses, keyed by their text; then the first line loses 0.3 s. (Cut
    // first to last once 8 s long, every cut would move: the first shot would take three lines, not two.)
    const lines = (grow: number) => {
      let cursor = 0.3;
      return Array.from({ length: 40 }, (_, index) => {
        const start = cursor;
        cursor += 3.9 + (index === 0 ? grow : 0);
        const line = unit(start, cursor, 2, (index * 2_654_435_761) >>> 0);
        cursor += 0.35;
        return line;
      });
    };
    const cuts = (grow: number) =>
      planShots(lines(grow), 200)
        .slice(1)
        .map((shot) => Math.round((shot.speechStart - grow) * 1000));
    const [before, after] = [cuts(0), cuts(-0.3)];
    expect(before.length).toBeGreaterThan(5);
    // Every cut from 16 s on is the same, and every shot has 8 s or more.
    expect(after.filter((cut) => cut >= 16_000)).toEqual(before.filter((cut) => cut >= 16_000));
    for (const shot of planShots(lines(0), 200))
      expect(shot.speechEnd - shot.speechStart).toBeGreaterThan(7.3);
  });

  it("cuts a shot longer than 20 s again inside", () => {
    // Line ends every 3 s whose keys rise to the middle and fall after: one cut per 8 s window would
    // leave a long shot at each end; they are cut again.
    const units = Array.from({ length: 16 }, (_, index) =>
      unit(index * 3, index * 3 + 2.8, 2, 1000 - Math.abs(index - 8) * 100),
    );
    const shots = planShots(units, 48);
    for (const shot of shots) expect(shot.speechEnd - shot.speechStart).toBeLessThanOrEqual(20);
    expect(shots.length).toBeGreaterThanOrEqual(3);
  });

  it("plays consecutive parts of the scene's track and continues one move across the cuts", () => {
    const [, first, second] = build(0).clips;
    expect(first).toMatchObject({
      id: expect.stringMatching(/^s-shot-[0-9a-f]{8}$/),
      transitionIn: { type: "fade-black" },
      narration: { path: "/tmp/s-0.wav", from: 0 },
      motion: { type: "zoom-in", easing: "linear", range: { from: 0 } },
    });
    expect(second).toMatchObject({
      id: expect.stringMatching(/^s-shot-[0-9a-f]{8}$/),
      motion: { type: "zoom-in", range: { to: 1 } },
    });
    expect(second?.id).not.toBe(first?.id);
    expect(second?.transitionIn).toBeUndefined();
    // The move goes on from where the first shot left it.
    const cut = first?.type === "image" ? first.motion?.range?.to : undefined;
    expect(cut).toBeGreaterThanOrEqual(0.15);
    expect(cut).toBeLessThanOrEqual(0.85);
    expect(second?.type === "image" ? second.motion?.range?.from : undefined).toBe(cut);
    // The cut is in the middle of one of the two pauses; the first shot lasts to there (whole frames),
    // and the second starts playing there.
    const from = second?.narration?.from ?? 0;
    expect([9.475, 11.475].some((middle) => Math.abs(middle - from) < 1e-6)).toBe(true);
    expect(first?.duration).toBeCloseTo(Math.ceil(from * 25) / 25, 6);
  });

  it("continues the move across every cut, going back with the opposite move where it turns", () => {
    const lines = Array.from({ length: 30 }, (_, index) => ({ start: 0.3 + index * 3, end: 3 + index * 3 }));
    const timeline = TimelineSchema.parse(
      buildTimeline(
        [
          {
            ...scene(0),
            beats: lines,
            words: lines.map((line, index) => ({ word: `Line ${index}.`, ...line })),
            audioSeconds: 90.3,
          },
        ],
        { title: "T", width: 640, height: 360 },
      ),
    );
    // Where each shot starts and ends on the zoom-in path (a zoom-out at p is the zoom-in at 1 - p).
    const path = timeline.clips.slice(1).map((clip) => {
      const motion = clip.type === "image" ? clip.motion : undefined;
      const range = motion?.range ?? { from: 0, to: 1 };
      return motion?.type === "zoom-out" ? [1 - range.from, 1 - range.to] : [range.from, range.to];
    });
    expect(path.length).toBeGreaterThan(3);
    expect(timeline.clips.some((clip) => clip.type === "image" && clip.motion?.type === "zoom-out")).toBe(
      true,
    );
    expect(path[0]![0]).toBe(0);
    expect(path.at(-1)![1]).toBe(1);
    for (let index = 1; index < path.length; index += 1) {
      expect(path[index]![0]).toBeCloseTo(path[index - 1]![1]!, 6);
    }
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
    // Only the edited shot is renamed (shots are named by their words).
    const ids = (timeline: typeof before) => timeline.clips.map((clip) => clip.id);
    expect(ids(after).filter((id) => !ids(before).includes(id))).toEqual([after.clips[1]!.id]);
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
