import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveFfmpeg } from "../../media/index.ts";
import { isProviderError } from "../provider-error.ts";
import { createLocal } from "./local-provider.ts";
import { espeakVoiceFor, localVoiceId } from "./speech/espeak-voice.ts";

const execFileAsync = promisify(execFile);
const TEXT =
  '"Della," said Jim, "I sold the watch to get the money to buy your combs." She wept; then she smiled.';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "litink-local-speech-"));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function probeSeconds(bytes: Uint8Array): Promise<{ seconds: number; codec: string }> {
  const file = path.join(directory, `${Math.random().toString(36).slice(2)}.wav`);
  await writeFile(file, bytes);
  const { ffprobe } = await resolveFfmpeg();
  const { stdout } = await execFileAsync(ffprobe.path, [
    "-v",
    "error",
    "-show_entries",
    "format=duration:stream=codec_name",
    "-of",
    "json",
    file,
  ]);
  const probe = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_name: string }[] };
  return { seconds: Number(probe.format.duration), codec: probe.streams[0]!.codec_name };
}

describe("local speech (eSpeak NG)", () => {
  const model = createLocal().model("voice", "espeak-ng");

  it("speaks a WAV that decodes with the reported duration, with word timings covering the text", async () => {
    const result = await model.generate({ text: TEXT, voice: "male-young-jim" });
    expect(result.mediaType).toBe("audio/wav");
    expect(result.costMicros).toBe(0);
    const probe = await probeSeconds(result.audio);
    expect(probe.codec).toBe("pcm_s16le");
    expect(Math.abs(probe.seconds - result.durationSeconds)).toBeLessThan(0.05);
    expect(result.durationSeconds).toBeGreaterThan(3);

    const words = result.words!;
    expect(words.map((word) => word.word)).toEqual(
      "Della said Jim I sold the watch to get the money to buy your combs She wept then she smiled".split(
        " ",
      ),
    );
    let previousEnd = 0;
    for (const word of words) {
      expect(word.start).toBeGreaterThanOrEqual(previousEnd);
      expect(word.end).toBeGreaterThan(word.start);
      previousEnd = word.end;
    }
    expect(previousEnd).toBeLessThanOrEqual(result.durationSeconds);
    // The speech ends within the last half second of the audio: timings span the whole utterance.
    expect(result.durationSeconds - previousEnd).toBeLessThan(0.5);
    // Clause pauses are found: "smiled" starts after "wept" ends, with a gap.
    const wept = words.find((word) => word.word === "wept")!;
    expect(words[words.indexOf(wept) + 1]!.start - wept.end).toBeGreaterThan(0.05);
  });

  it("is deterministic and gives each voice its own sound", async () => {
    const first = await model.generate({
      text: "One dollar and eighty-seven cents.",
      voice: "female-young-della",
    });
    const again = await model.generate({
      text: "One dollar and eighty-seven cents.",
      voice: "female-young-della",
    });
    const other = await model.generate({ text: "One dollar and eighty-seven cents.", voice: "narrator" });
    expect(Buffer.from(again.audio).equals(Buffer.from(first.audio))).toBe(true);
    expect(again.words).toEqual(first.words);
    expect(Buffer.from(other.audio).equals(Buffer.from(first.audio))).toBe(false);
  });

  it("leaves the other clauses' samples and word timings as they were when one clause is edited", async () => {
    const line =
      "Squire Trelawney, Dr. Livesey, and the rest of these gentlemen having asked me to write, " +
      "from the beginning to the end, keeping nothing back.";
    const before = await model.generate({ text: line, voice: "narrator" });
    const after = await model.generate({ text: line.replace(" and ", " and so "), voice: "narrator" });
    const words = (result: typeof before) => result.words!.map((word) => word.word);
    expect(words(after)).toEqual([...words(before).slice(0, 4), "and", "so", ...words(before).slice(5)]);
    // Up to the edit, nothing changed.
    expect(after.words!.slice(0, 4)).toEqual(before.words!.slice(0, 4));
    // From the next clause ("from the beginning…") on, every word moved by one whole number of milliseconds.
    const from = words(before).indexOf("from");
    const shift = after.words![from + 1]!.start - before.words![from]!.start;
    expect(Math.round(shift * 1000)).toBeGreaterThan(0);
    expect(Math.abs(shift * 1000 - Math.round(shift * 1000))).toBeLessThan(1e-6);
    before.words!.slice(from).forEach((word, index) => {
      const moved = after.words![from + 1 + index]!;
      expect(moved.start - shift).toBeCloseTo(word.start, 9);
      expect(moved.end - shift).toBeCloseTo(word.end, 9);
    });
    expect(after.durationSeconds - shift).toBeCloseTo(before.durationSeconds, 9);
    // …and the sound of those clauses is the same, sample for sample.
    const tail = (result: typeof before, start: number) =>
      Buffer.from(result.audio).subarray(44 + Math.round(start * 22_050) * 2);
    expect(tail(after, after.words![from + 1]!.start).equals(tail(before, before.words![from]!.start))).toBe(
      true,
    );
  });

  it("maps voice names to distinct, stable eSpeak settings", () => {
    const della = espeakVoiceFor(
      localVoiceId({ name: "Della", voice: { gender: "female", age: "young" } }),
      "en",
      1,
    );
    const jim = espeakVoiceFor("male-young-jim", "en", 1);
    expect(della.voice).toMatch(/^en-us\+f\d$/);
    expect(jim.voice).toMatch(/^en-us\+m\d$/);
    expect(espeakVoiceFor("male-young-jim", "en", 1)).toEqual(jim);
    expect(espeakVoiceFor("narrator", "fr", 1.5)).toEqual({ voice: "fr+m3", pitch: 45, wordsPerMinute: 240 });
  });

  it("kills the worker of an aborted synthesis, and the next request gets a fresh one", async () => {
    const controller = new AbortController();
    const aborted = model.generate(
      { text: TEXT.repeat(20), voice: "narrator" },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error("user pressed Ctrl-C")), 30);
    await expect(aborted).rejects.toThrow(/Ctrl-C/);
    const after = await model.generate({ text: "Still here.", voice: "narrator" });
    expect(after.words!.map((word) => word.word)).toEqual(["Still", "here"]);
  });

  it("refuses empty text and stops a synthesis that runs past its timeout", async () => {
    await expect(model.generate({ text: " … ", voice: "narrator" })).rejects.toSatisfy(
      (error) => isProviderError(error) && error.kind === "bad_request",
    );
    const impatient = createLocal({ speechTimeoutMs: 1 }).model("voice", "espeak-ng");
    await expect(impatient.generate({ text: TEXT, voice: "narrator" })).rejects.toSatisfy(
      (error) => isProviderError(error) && error.code === "provider.timeout" && error.retryable,
    );
  });
});
