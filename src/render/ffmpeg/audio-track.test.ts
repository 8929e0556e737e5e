import { mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  gatedLoudness,
  loudnessGainFilter,
  momentaryLoudnessOf,
  parseEbur128Summary,
} from "../audio/index.ts";
import { parseTimeline } from "../parse-timeline.ts";
import { createRenderFixtures, type RenderFixtures } from "../testing/render-fixtures.ts";
import type { TimelineInput } from "../timeline.ts";
import { layoutTimeline } from "../timeline-layout.ts";
import { renderAudioTrack } from "./audio-track.ts";
import { createFfmpegRenderer } from "./ffmpeg-renderer.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { createAssetHasher } from "./segment-cache.ts";

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

describe("audio track from chunks", () => {
  it("gates block loudness to FFmpeg's own integrated figure (within 0.2 LU) on real audio", async () => {
    // Loud and quiet passages, silences and a stretch far below the rest (which the relative gate drops).
    const file = path.join(fixtures.folder, "programme.wav");
    await fixtures.ffmpeg([
      ...["-f", "lavfi", "-i", "anoisesrc=d=6:c=pink:a=0.3:r=44100"],
      ...["-f", "lavfi", "-i", "sine=f=220:d=4:r=44100"],
      ...["-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono"],
      ...["-f", "lavfi", "-i", "anoisesrc=d=5:c=brown:a=0.01:r=44100"],
      ...["-f", "lavfi", "-i", "anoisesrc=d=7:c=white:a=0.08:r=44100"],
      "-filter_complex",
      "[2]atrim=end=3[gap];[0][1][gap][3][4]concat=n=5:v=0:a=1,volume='0.6+0.4*sin(t)':eval=frame",
      "-ac",
      "2",
      file,
    ]);
    const blocks: number[] = [];
    const { stderr } = await runFfmpeg(
      fixtures.binaries.ffmpeg.path,
      ["-hide_banner", "-nostdin", "-nostats", "-i", file, "-af", "ebur128=peak=true", "-f", "null", "-"],
      {
        onStderrLine: (line) => {
          const loudness = momentaryLoudnessOf(line);
          if (loudness !== undefined) blocks.push(loudness);
        },
      },
    );
    const ffmpegFigure = parseEbur128Summary(stderr).integrated ?? Number.NaN;
    expect(blocks.length).toBeGreaterThan(200);
    expect(Math.abs(gatedLoudness(blocks) - ffmpegFigure)).toBeLessThan(0.2);
  });

  it("re-makes only the chunk of an edited narration, and reuses the track for a picture-only change", async () => {
    const narrations = await Promise.all(
      [0.1, 0.15, 0.2].map((amplitude, index) => tone(`edit-${index}.wav`, 400 + 50 * index, amplitude, 0.8)),
    );
    const timelineWith = (volume: number, colour: string): TimelineInput => ({
      version: 1,
      output: { width: 64, height: 36, fps: 25, quality: "draft" },
      clips: narrations.map((narration, index) => ({
        id: `scene-${index}`,
        type: "colour" as const,
        colour,
        duration: 1,
        narration: { path: narration, offset: 0.1, volume: index === 1 ? volume : 1 },
      })),
    });
    const context = {
      ffmpegPath: fixtures.binaries.ffmpeg.path,
      ffprobePath: fixtures.binaries.ffprobe.path,
      ffmpegVersion: fixtures.binaries.ffmpeg.version,
      cacheDir: await mkdtemp(path.join(fixtures.folder, "cache-edit-")),
      hash: createAssetHasher(),
    };
    const track = async (input: TimelineInput): ReturnType<typeof renderAudioTrack> => {
      const timeline = parseTimeline(input);
      return renderAudioTrack(timeline, layoutTimeline(timeline), context);
    };
    const first = await track(timelineWith(1, "#202020"));
    // Three scenes and the short joins between them (silence both, so the second is the first's twin).
    expect(first.chunks).toEqual({ rendered: 4, reused: 1 });
    const edited = await track(timelineWith(0.5, "#202020"));
    expect(edited.reused).toBe(false);
    expect(edited.chunks).toEqual({ rendered: 1, reused: 4 });
    const recoloured = await track(timelineWith(0.5, "#404040"));
    expect(recoloured).toMatchObject({ path: edited.path, reused: true });
  });

  it("plays one narration cut across three clips (from/length) exactly like the uncut file", async () => {
    // 44.1 kHz noise and tone: resampled and cut in three places, it must still join sample-exactly.
    const narration = path.join(fixtures.folder, "long-narration.wav");
    await fixtures.ffmpeg([
      ...["-f", "lavfi", "-i", "anoisesrc=d=2.9:c=pink:a=0.2:r=44100"],
      ...["-f", "lavfi", "-i", "sine=f=440:d=2.9:r=44100"],
      "-filter_complex",
      "[0][1]amix=inputs=2",
      narration,
    ]);
    const clip = (
      index: number,
      cut: { from?: number; length?: number } | undefined,
    ): TimelineInput["clips"][number] => ({
      id: `shot-${index}`,
      type: "colour",
      colour: "#335577",
      duration: 1,
      ...(cut ? { narration: { path: narration, ...cut } } : {}),
    });
    const render = async (name: string, clips: TimelineInput["clips"]): Promise<string> => {
      const output = path.join(fixtures.folder, name, "video.mp4");
      await createFfmpegRenderer({ cacheDir: path.join(fixtures.folder, `cache-${name}`) }).render(
        parseTimeline({ version: 1, output: { width: 64, height: 36, fps: 25, quality: "draft" }, clips }),
        output,
      );
      return output;
    };
    const whole = await render("uncut", [clip(0, {}), clip(1, undefined), clip(2, undefined)]);
    const cut = await render("cut", [
      clip(0, { from: 0, length: 1 }),
      clip(1, { from: 1, length: 1 }),
      clip(2, { from: 2 }),
    ]);
    const { stderr } = await runFfmpeg(fixtures.binaries.ffmpeg.path, [
      "-hide_banner",
      "-nostdin",
      "-nostats",
      "-i",
      whole,
      "-i",
      cut,
      "-filter_complex",
      "[0:a][1:a]amerge=inputs=2,pan=stereo|c0=c0-c2|c1=c1-c3,astats",
      "-f",
      "null",
      "-",
    ]);
    const peaks = [...stderr.matchAll(/Peak level dB:\s*(-?[\d.]+|-inf)/g)].map((match) =>
      match[1] === "-inf" ? Number.NEGATIVE_INFINITY : Number(match[1]),
    );
    expect(peaks.length).toBeGreaterThan(0);
    // The difference of the two renders is silence: same samples, same gain, same AAC frames.
    for (const peak of peaks) expect(peak).toBeLessThan(-120);
    expect(await rmsLevel(cut, 0.2, 2.8)).toBeGreaterThan(-40);
  });

  it("limits a gain that would break the ceiling without moving or shortening the audio", async () => {
    // A quiet tone with one loud click at sample 24000: the gain to -16 LUFS would push the click over.
    const input = path.join(fixtures.folder, "click.wav");
    await fixtures.ffmpeg([
      ...["-f", "lavfi", "-i", "aevalsrc=0.02*sin(2*PI*300*t)+0.9*eq(n\\,24000):s=48000:d=1"],
      ...["-ac", "2", "-c:a", "pcm_f32le", input],
    ]);
    const filter = loudnessGainFilter({ integrated: -16, truePeak: -1.5 }, { integrated: -36, truePeak: -1 });
    expect(filter).toContain("alimiter");
    const output = path.join(fixtures.folder, "click-limited.pcm");
    await fixtures.ffmpeg([
      "-i",
      input,
      "-af",
      filter,
      "-ac",
      "1",
      "-c:a",
      "pcm_f32le",
      "-f",
      "f32le",
      output,
    ]);
    const bytes = await readFile(output);
    const samples = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect(samples.length).toBe(48_000);
    let loudest = 0;
    for (let index = 0; index < samples.length; index += 1)
      if (Math.abs(samples[index] ?? 0) > Math.abs(samples[loudest] ?? 0)) loudest = index;
    expect(loudest).toBe(24_000);
    // Both channels summed by -ac 1 (x 1/sqrt 2 each): the limit is 2.5 dB under full scale.
    expect(Math.abs(samples[loudest] ?? 0)).toBeLessThanOrEqual(Math.SQRT2 * 10 ** (-2.5 / 20) + 1e-3);
  });
});
