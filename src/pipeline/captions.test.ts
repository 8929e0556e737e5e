import { describe, expect, it } from "vitest";
import { alignWordsToText, wordsToCues } from "./captions.ts";
import { spreadWords } from "./stages/audio-generation.ts";

const timed = (text: string, start = 0, step = 0.3) =>
  text.split(" ").map((word, i) => ({ word, start: start + i * step, end: start + i * step + 0.25 }));

describe("wordsToCues", () => {
  it("breaks at sentence ends and keeps every word with its timing", () => {
    const cues = wordsToCues(timed("One dollar and eighty-seven cents. That was all."));
    expect(cues.map((c) => c.text)).toEqual(["One dollar and eighty-seven cents.", "That was all."]);
    expect(cues[0]?.words?.length).toBe(5);
    expect(cues[0]?.start).toBe(0);
    expect(cues[1]?.start).toBeCloseTo(1.5);
  });

  it("keeps cues short and never overlapping", () => {
    const long = timed(
      "Della finished her cry and attended to her cheeks with the powder rag and stood by the window looking out dully",
    );
    const cues = wordsToCues(long);
    expect(cues.length).toBeGreaterThan(2);
    for (const cue of cues) expect(cue.text.length).toBeLessThanOrEqual(42);
    for (let i = 1; i < cues.length; i++) expect(cues[i]!.start).toBeGreaterThanOrEqual(cues[i - 1]!.end);
    expect(cues.map((c) => c.text).join(" ")).toBe(long.map((w) => w.word).join(" "));
  });

  it("starts a new cue after a pause", () => {
    const words = [...timed("Jim stopped", 0), ...timed("inside the door", 3)];
    expect(wordsToCues(words).map((c) => c.text)).toEqual(["Jim stopped", "inside the door"]);
  });

  it("skips blank words and returns nothing for nothing", () => {
    expect(wordsToCues([])).toEqual([]);
    expect(wordsToCues([{ word: " ", start: 0, end: 1 }])).toEqual([]);
  });
});

describe("alignWordsToText", () => {
  it("restores punctuation and capitals from the text", () => {
    const words = timed("one dollar and eighty seven cents that was all");
    const aligned = alignWordsToText(words, "One dollar and eighty-seven cents. That was all.");
    expect(aligned.map((w) => w.word)).toEqual([
      "One",
      "dollar",
      "and",
      "eighty-seven",
      "cents.",
      "That",
      "was",
      "all.",
    ]);
    expect(aligned[3]?.start).toBeCloseTo(words[3]!.start);
    expect(aligned[3]?.end).toBeCloseTo(words[4]!.end);
    expect(wordsToCues(aligned).map((c) => c.text)).toEqual([
      "One dollar and eighty-seven cents.",
      "That was all.",
    ]);
  });

  it("keeps symbols the voice skipped with their neighbour", () => {
    const aligned = alignWordsToText(
      timed("a flat at eight dollars per week cheap"),
      "A flat at $8 per week — cheap.",
    );
    expect(aligned.map((w) => w.word)).toEqual(["A", "flat", "at", "$8", "per", "week —", "cheap."]);
  });
});

describe("spreadWords", () => {
  it("spreads a line's words over its length in order, proportional to their length", () => {
    const words = spreadWords("Give it to me quick, said Della.", 3);
    expect(words.map((w) => w.word)).toEqual(["Give", "it", "to", "me", "quick,", "said", "Della."]);
    for (let i = 1; i < words.length; i++) expect(words[i]!.start).toBeGreaterThanOrEqual(words[i - 1]!.end);
    expect(words[0]!.start).toBe(0);
    expect(words[words.length - 1]!.end).toBeLessThanOrEqual(3);
    expect(words[4]!.end - words[4]!.start).toBeGreaterThan(words[1]!.end - words[1]!.start);
  });
});
