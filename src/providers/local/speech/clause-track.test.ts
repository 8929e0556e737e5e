import { describe, expect, it } from "vitest";
import { clauseTrack, type SpokenClause } from "./clause-track.ts";
import { readMonoSamples, readWavInfo, writeMonoWav } from "./wav-file.ts";

const RATE = 22_050;

/** A clause as eSpeak writes it: 13 ms of silence, a tone per word, 0.35 s of silence after. */
function clause(text: string, wordSeconds: number, pauseSeconds = 0.24): SpokenClause {
  const words = text.split(" ").length;
  const samples: number[] = new Array(Math.round(0.013 * RATE)).fill(0);
  for (let word = 0; word < words; word += 1) {
    if (word > 0) samples.push(...new Array(Math.round(0.03 * RATE)).fill(0));
    for (let index = 0; index < wordSeconds * RATE; index += 1) {
      samples.push(Math.round(8000 * Math.sin(index / 5)) || 1);
    }
  }
  samples.push(...new Array(Math.round(0.35 * RATE)).fill(0));
  return {
    text,
    wav: writeMonoWav(Int16Array.from(samples), RATE),
    phonemes: [text.replace(/[^a-z ]/gi, "").replace(/ /g, "  ")],
    pauseSeconds,
  };
}

const samplesOf = (wav: Uint8Array): Int16Array => readMonoSamples(wav, readWavInfo(wav));

describe("clauseTrack", () => {
  const before = clauseTrack([
    clause("one two,", 0.2),
    clause("three four,", 0.21),
    clause("five six.", 0.2, 0.4),
  ]);
  // The middle clause gets a word (and an odd length), as when a sentence is edited.
  const after = clauseTrack([
    clause("one two,", 0.2),
    clause("three and four,", 0.2137),
    clause("five six.", 0.2, 0.4),
  ]);

  it("joins the clauses' speech with exactly their pauses, on whole milliseconds", () => {
    const words = before.words;
    expect(words.map((word) => word.word)).toEqual(["one", "two", "three", "four", "five", "six"]);
    // Speech starts at once (eSpeak's own silence trimmed); "two" ends where the clause's padding does.
    expect(words[0]!.start).toBe(0);
    expect(words[2]!.start - words[1]!.end).toBeCloseTo(0.24, 9);
    expect(words[4]!.start - words[3]!.end).toBeCloseTo(0.24, 9);
    for (const word of words) {
      expect(Number.isInteger(Math.round(word.start * 1e6) / 1000)).toBe(true);
      expect(word.end).toBeGreaterThan(word.start);
    }
    // The last clause's pause closes the line; the length is a whole number of 20 ms steps.
    expect(before.durationSeconds).toBeCloseTo(words[5]!.end + 0.4, 9);
    expect(samplesOf(before.wav).length).toBe(Math.round(before.durationSeconds * RATE));
    expect((before.durationSeconds * 1000) % 20).toBeCloseTo(0, 6);
  });

  it("leaves the other clauses' samples and word timings as they were after one clause changes", () => {
    const shift = after.words[6]!.end - before.words[5]!.end;
    expect(Math.round(shift * 1000)).toBeGreaterThan(0);
    // Whole milliseconds: every later word moves by exactly the same amount.
    expect(Number.isInteger(Math.round(shift * 1e6) / 1000)).toBe(true);
    expect(after.words.slice(0, 2)).toEqual(before.words.slice(0, 2));
    after.words.slice(5).forEach((word, index) => {
      const old = before.words[4 + index]!;
      expect(word.start - shift).toBeCloseTo(old.start, 9);
      expect(word.end - shift).toBeCloseTo(old.end, 9);
    });
    const [old, edited] = [samplesOf(before.wav), samplesOf(after.wav)];
    const firstClause = Math.round(before.words[2]!.start * RATE);
    expect(edited.subarray(0, firstClause)).toEqual(old.subarray(0, firstClause));
    const lastClause = Math.round(before.words[4]!.start * RATE);
    expect(edited.subarray(edited.length - (old.length - lastClause))).toEqual(old.subarray(lastClause));
  });
});
