import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTimeline } from "../parse-timeline.ts";
import { createRenderFixtures, type RenderFixtures } from "../testing/render-fixtures.ts";
import type { TimelineInput } from "../timeline.ts";
import { createFfmpegRenderer } from "./ffmpeg-renderer.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";

let fixtures: RenderFixtures;

beforeAll(async () => {
  fixtures = await createRenderFixtures();
});

afterAll(async () => {
  if (fixtures) await rm(fixtures.folder, { recursive: true, force: true });
});

/** RMS level (dBFS, all channels) of `file`'s audio between `start` and `end` seconds, by astats. */
async function rmsLevel(file: string, start: number, end: number): Promise<number> {
  const { stderr } = await runFfmpeg(fixtures.binaries.ffmpeg.path, [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-i",
    file,
    "-af",
    `atrim=start=${start}:end=${end},astats`,
    "-f",
    "null",
    "-",
  ]);
  const levels = [...stderr.matchAll(/RMS level dB:\s*(-?[\d.]+|-inf)/g)].map((match) => Number(match[1]));
  const overall = levels[levels.length - 1];
  if (overall === undefined) throw new Error(`astats printed no RMS level for ${file}`);
  return overall;
}

/** A mono 48 kHz tone of `seconds` at `amplitude`. */
async function tone(name: string, frequency: number, amplitude: number, seconds: number): Promise<string> {
  const file = path.join(fixtures.folder, name);
  await fixtures.ffmpeg([
    "-f",
    "lavfi",
    "-i",
    `sine=f=${frequency}:d=${seconds}:r=48000`,
    "-af",
    `volume=${amplitude * 8}`,
    file,
  ]);
  return file;
}

describe("audio track levels", () => {
  it("keeps every narration at its own level, however many come before or after it", async () => {
    // Different levels, so a mix that re-weights by the number of playing inputs cannot pass by luck.
    const amplitudes = [0.1, 0.2, 0.14, 0.1];
    const narrations = await Promise.all(
      amplitudes.map((amplitude, index) => tone(`level-${index}.wav`, 330 + 40 * index, amplitude, 1)),
    );
    const input: TimelineInput = {
      version: 1,
      output: { width: 64, height: 36, fps: 25, quality: "draft", loudnessTarget: -23, truePeak: -1 },
      clips: narrations.map((narration, index) => ({
        id: `scene-${index}`,
        type: "colour" as const,
        colour: "#336699",
        duration: 1.6,
        narration: { path: narration, offset: 0.2 },
      })),
    };
    const output = path.join(fixtures.folder, "levels", "video.mp4");
    await createFfmpegRenderer({ cacheDir: path.join(fixtures.folder, "cache-levels") }).render(
      parseTimeline(input),
      output,
    );
    // Output level minus source level: the same gain (the loudness normalization) for every narration.
    const gains = await Promise.all(
      narrations.map(
        async (narration, index) =>
          (await rmsLevel(output, 1.6 * index + 0.35, 1.6 * index + 1.05)) -
          (await rmsLevel(narration, 0.15, 0.85)),
      ),
    );
    const first = gains[0] ?? Number.NaN;
    for (const gain of gains) expect(Math.abs(gain - first)).toBeLessThan(0.3);
  });
});
