import { mkdtemp, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTimeline } from "../parse-timeline.ts";
import { analyseAudio } from "../qc/audio-analysis.ts";
import { createRenderFixtures, type RenderFixtures } from "../testing/render-fixtures.ts";
import type { TimelineInput } from "../timeline.ts";
import { layoutTimeline } from "../timeline-layout.ts";
import { renderAudioTrack } from "./audio-track.ts";
import { createAssetHasher } from "./segment-cache.ts";

let fixtures: RenderFixtures;

beforeAll(async () => {
  fixtures = await createRenderFixtures();
});

afterAll(async () => {
  if (fixtures) await rm(fixtures.folder, { recursive: true, force: true });
});

const RATE = 48_000;

/** Decodes `file`'s audio to 48 kHz stereo float samples (interleaved). */
async function decode(file: string, name: string): Promise<Float32Array> {
  const output = path.join(fixtures.folder, `${name}.f32`);
  await fixtures.ffmpeg([
    "-i",
    file,
    "-ac",
    "2",
    "-ar",
    String(RATE),
    "-f",
    "f32le",
    "-c:a",
    "pcm_f32le",
    output,
  ]);
  const bytes = await readFile(output);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/**
 * A 48 kHz stereo test signal like phrases of speech: a chord (tonal, so AAC keeps its waveform and
 * errors show), half a second on and a quarter of a second off, over and over.
 */
async function phrases(name: string, seconds: number, seed: number): Promise<string> {
  const file = path.join(fixtures.folder, name);
  const base = 180 + 20 * seed;
  await fixtures.ffmpeg([
    ...[
      "-f",
      "lavfi",
      "-i",
      `aevalsrc=0.2*sin(2*PI*${base}*t)+0.12*sin(2*PI*${base * 1.5}*t)+0.08*sin(2*PI*${base * 2.3}*t):s=${RATE}:d=${seconds}`,
    ],
    "-af",
    "volume='lt(mod(t\\,0.75)\\,0.5)':eval=frame",
    ...["-ac", "2", "-c:a", "pcm_f32le", file],
  ]);
  return file;
}

function trackContext(cacheDir: string) {
  return {
    ffmpegPath: fixtures.binaries.ffmpeg.path,
    ffprobePath: fixtures.binaries.ffprobe.path,
    ffmpegVersion: fixtures.binaries.ffmpeg.version,
    cacheDir,
    hash: createAssetHasher(),
  };
}

async function track(input: TimelineInput, cacheDir: string): ReturnType<typeof renderAudioTrack> {
  const timeline = parseTimeline(input);
  return renderAudioTrack(timeline, layoutTimeline(timeline), trackContext(cacheDir));
}

/** Signal-to-noise ratio (dB) of `actual` against `expected` over samples `from..to` (per channel). */
function snr(actual: Float32Array, expected: Float32Array, from: number, to: number): number {
  let signal = 0;
  let noise = 0;
  for (let index = from * 2; index < to * 2; index += 1) {
    const want = expected[index] ?? 0;
    signal += want * want;
    noise += (want - (actual[index] ?? 0)) ** 2;
  }
  return 10 * Math.log10(signal / Math.max(noise, 1e-20));
}

/** Mean square difference of `actual` from `expected` over samples `from..to`. */
function errorPower(actual: Float32Array, expected: Float32Array, from: number, to: number): number {
  let noise = 0;
  for (let index = from * 2; index < to * 2; index += 1)
    noise += ((expected[index] ?? 0) - (actual[index] ?? 0)) ** 2;
  return noise / (2 * (to - from));
}

describe("audio track encoded in pieces", () => {
  it("decodes like the narration itself: no offset, no seam at the cuts", async () => {
    const narration = await phrases("seamless.wav", 7.68, 1);
    // 1.28 s clips at 25 fps start on AAC frames (61,440 samples), so the narration is not moved at all.
    const clips = [0, 1, 2, 3, 4, 5].map((index) => ({
      id: `shot-${index}`,
      type: "colour" as const,
      colour: "#335577",
      duration: 1.28,
      narration: { path: narration, from: 1.28 * index, ...(index < 5 ? { length: 1.28 } : {}) },
    }));
    const input: TimelineInput = {
      version: 1,
      output: { width: 64, height: 36, fps: 25, quality: "draft", loudnessTarget: -26 },
      clips,
    };
    const made = await track(input, await mkdtemp(path.join(fixtures.folder, "cache-seamless-")));
    expect(made.pieces).toEqual({ rendered: 6, reused: 0 });
    const decoded = await decode(made.path, "seamless-track");
    const source = await decode(narration, "seamless-source");
    expect(decoded.length / 2).toBeGreaterThanOrEqual(source.length / 2);
    // The loudness gain: the ratio that best maps the source onto the track.
    let cross = 0;
    let energy = 0;
    for (let index = 0; index < source.length; index += 1) {
      cross += (source[index] ?? 0) * (decoded[index] ?? 0);
      energy += (source[index] ?? 0) ** 2;
    }
    const gain = cross / energy;
    const expected = source.map((sample) => sample * gain);
    expect(snr(decoded, expected, 0, source.length / 2)).toBeGreaterThan(30);
    // Around every cut (most of them inside a tone) the error is no louder than AAC's own on average.
    const overall = errorPower(decoded, expected, 0, source.length / 2);
    for (let cut = 1; cut < 6; cut += 1) {
      const at = cut * 61_440;
      expect(errorPower(decoded, expected, at - 2048, at + 2048)).toBeLessThan(4 * overall);
    }
    // Shifted by one sample either way the match is worse: the track is not offset.
    const shifted = (by: number): number => {
      const moved = new Float32Array(expected.length);
      moved.set(
        expected.subarray(Math.max(0, -by * 2), expected.length - Math.max(0, by * 2)),
        Math.max(0, by * 2),
      );
      return snr(decoded, moved, 4800, source.length / 2 - 4800);
    };
    expect(shifted(0)).toBeGreaterThan(shifted(1));
    expect(shifted(0)).toBeGreaterThan(shifted(-1));
  });

  it("keeps each scene's audio within half an AAC frame of its pictures", async () => {
    // One click per scene, 0.5 s into its narration; scenes of 1.04 s at 25 fps start off the AAC grid.
    const click = path.join(fixtures.folder, "click-scene.wav");
    await fixtures.ffmpeg([
      ...["-f", "lavfi", "-i", `aevalsrc=0.8*eq(n\\,24000):s=${RATE}:d=1`],
      ...["-ac", "2", "-c:a", "pcm_f32le", click],
    ]);
    const scenes = 6;
    const input: TimelineInput = {
      version: 1,
      output: { width: 64, height: 36, fps: 25, quality: "draft", truePeak: 0 },
      clips: Array.from({ length: scenes }, (_, index) => ({
        id: `scene-${index}`,
        type: "colour" as const,
        colour: "#112233",
        duration: 1.04,
        // A copy per scene: each scene is its own run, placed on its own.
        narration: { path: click, offset: 0.02 * index },
      })),
    };
    const made = await track(input, await mkdtemp(path.join(fixtures.folder, "cache-sync-")));
    const decoded = await decode(made.path, "sync-track");
    for (let scene = 0; scene < scenes; scene += 1) {
      const exact = Math.round(scene * 1.04 * RATE + 0.02 * scene * RATE) + 24_000;
      let loudest = exact - 2048;
      for (let index = exact - 2048; index < exact + 2048; index += 1) {
        if (Math.abs(decoded[index * 2] ?? 0) > Math.abs(decoded[loudest * 2] ?? 0)) loudest = index;
      }
      expect(Math.abs(loudest - exact)).toBeLessThanOrEqual(512 + 2);
    }
  });

  it("re-encodes only the pieces of an edited scene when the edit moves every later scene", async () => {
    const scenes = await Promise.all(
      [3.1, 2.6, 2.9].map((seconds, index) => phrases(`scene-${index}.wav`, seconds, index)),
    );
    const longer = await phrases("scene-0-edited.wav", 3.7, 7);
    const timelineOf = (first: string, firstSeconds: number): TimelineInput => ({
      version: 1,
      output: { width: 64, height: 36, fps: 25, quality: "draft" },
      // Each scene in two shots; the shots of a scene play one file (from/length), with silence around it.
      clips: [first, ...scenes.slice(1)]
        .flatMap((file, scene): TimelineInput["clips"] => {
          const seconds = scene === 0 ? firstSeconds : ([3.1, 2.6, 2.9][scene] ?? 0);
          const half = Math.round((seconds / 2) * 25) / 25;
          return [
            {
              id: `scene-${scene}-a`,
              type: "colour" as const,
              colour: "#223344",
              duration: half + 0.3,
              narration: { path: file, offset: 0.3, from: 0, length: half },
            },
            {
              id: `scene-${scene}-b`,
              type: "colour" as const,
              colour: "#223344",
              duration: seconds - half + 0.36,
              narration: { path: file, from: half },
            },
          ];
        })
        .concat([
          { id: "end-card", type: "colour" as const, colour: "#000000", duration: 1, narration: undefined },
        ]),
    });
    const cacheDir = await mkdtemp(path.join(fixtures.folder, "cache-moved-"));
    const before = await track(timelineOf(scenes[0] ?? "", 3.1), cacheDir);
    const after = await track(timelineOf(longer, 3.7), cacheDir);
    expect(after.reused).toBe(false);
    const total = after.pieces.rendered + after.pieces.reused;
    expect(total).toBe(before.pieces.rendered + before.pieces.reused);
    // The later scenes' four shots move by 0.6 s but keep their pieces; the edited scene's two shots,
    // at most the joins around them and the track's last piece are encoded again.
    expect(after.pieces.reused).toBeGreaterThanOrEqual(4);
    expect(after.pieces.rendered).toBeLessThanOrEqual(total - 4);
  });

  it("gives QC the analysis a full decode of the track gives", async () => {
    // Narration, 4 s without any (across a cut), narration again.
    const narration = await phrases("qc-narration.wav", 3, 3);
    const input: TimelineInput = {
      version: 1,
      output: { width: 64, height: 36, fps: 25, quality: "draft" },
      clips: [
        {
          id: "a",
          type: "colour",
          colour: "#101010",
          duration: 3.5,
          narration: { path: narration, offset: 0.2 },
        },
        { id: "b", type: "colour", colour: "#101010", duration: 3 },
        {
          id: "c",
          type: "colour",
          colour: "#101010",
          duration: 3.5,
          narration: { path: narration, offset: 0.1 },
        },
      ],
    };
    const cacheDir = await mkdtemp(path.join(fixtures.folder, "cache-qc-"));
    const made = await track(input, cacheDir);
    const fromPieces = JSON.parse(await readFile(made.path.replace(/\.m4a$/, ".qc.json"), "utf8"));
    const decoded = await analyseAudio(fixtures.binaries.ffmpeg.path, made.path, {
      ceiling: -1,
      duration: 10,
    });
    expect(Math.abs(fromPieces.integrated - (decoded.integrated ?? Number.NaN))).toBeLessThan(0.3);
    expect(Math.abs(fromPieces.truePeak - (decoded.truePeak ?? Number.NaN))).toBeLessThan(0.3);
    expect(decoded.silence).toHaveLength(1);
    expect(fromPieces.silence).toHaveLength(1);
    expect(Math.abs(fromPieces.silence[0].start - (decoded.silence[0]?.start ?? Number.NaN))).toBeLessThan(
      0.05,
    );
    expect(Math.abs(fromPieces.silence[0].end - (decoded.silence[0]?.end ?? Number.NaN))).toBeLessThan(0.05);
  });
});
