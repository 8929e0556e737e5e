import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  type AudioChunkPlan,
  buildAudioChunkCommand,
  momentaryLoudnessOf,
  parseEbur128Summary,
} from "../audio/index.ts";
import { touchCacheEntry } from "../cache/touch-cache-entry.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { segmentKey } from "./segment-cache.ts";

/** A rendered chunk of the narration track and what measuring it found. */
export interface AudioChunk {
  /** Raw 48 kHz stereo float PCM (`f32le`). */
  readonly path: string;
  readonly key: string;
  /** Loudness (LUFS) of the 400 ms gating blocks, one per 100 ms, as ebur128 reported them. */
  readonly blocks: readonly number[];
  /** True peak, dBTP; -Infinity for silence. */
  readonly truePeak: number;
  readonly reused: boolean;
}

/** What {@link renderAudioChunk} needs. */
export interface AudioChunkContext {
  readonly ffmpegPath: string;
  readonly ffmpegVersion: string;
  /** Folder of the chunk files (`<key>.pcm` and the measurement `<key>.json` beside it). */
  readonly folder: string;
  readonly hash: (file: string) => Promise<string>;
  readonly signal?: AbortSignal | undefined;
}

/** The measurement stored beside a chunk; JSON has no -Infinity, so silence is `null`. */
const MeasurementSchema = z.object({
  samples: z.number(),
  blocks: z.array(z.number()),
  truePeak: z.number().nullable(),
});

/**
 * Renders one chunk of the narration track (or takes it from the cache) and measures it in the same
 * pass. The cache key holds everything the chunk's samples depend on: its length, the content hash
 * of each narration file, the sample range taken from it, its place and volume, and the FFmpeg
 * version. A chunk without narration is silence, written without FFmpeg.
 */
export async function renderAudioChunk(
  plan: AudioChunkPlan,
  context: AudioChunkContext,
): Promise<AudioChunk> {
  const pieces = await Promise.all(
    plan.pieces.map(async (piece) => ({ ...piece, path: await context.hash(piece.path) })),
  );
  const key = segmentKey({ kind: "audio-chunk/1", samples: plan.samples, pieces }, context.ffmpegVersion);
  const pcm = path.join(context.folder, `${key}.pcm`);
  const json = path.join(context.folder, `${key}.json`);
  const stored = await readMeasurement(json);
  if (stored && stored.samples === plan.samples && (await touchCacheEntry(json))) {
    return { path: pcm, key, blocks: stored.blocks, truePeak: stored.truePeak ?? -Infinity, reused: true };
  }
  await mkdir(context.folder, { recursive: true });
  const unique = `${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`;
  const partial = path.join(context.folder, `${key}.${unique}.partial`);
  const blocks: number[] = [];
  let truePeak = Number.NEGATIVE_INFINITY;
  try {
    if (plan.pieces.length === 0) {
      await writeFile(partial, Buffer.alloc(plan.samples * 2 * 4));
    } else {
      const { stderr } = await runFfmpeg(
        context.ffmpegPath,
        buildAudioChunkCommand({ pieces: plan.pieces, samples: plan.samples, outputPath: partial }),
        {
          signal: context.signal,
          label: `audio chunk ${plan.index}`,
          outputs: [partial],
          onStderrLine: (line) => {
            const loudness = momentaryLoudnessOf(line);
            if (loudness !== undefined) blocks.push(loudness);
          },
          keepStderrLine: (line) => momentaryLoudnessOf(line) === undefined,
        },
      );
      truePeak = parseEbur128Summary(stderr).truePeak ?? Number.NEGATIVE_INFINITY;
    }
    await rename(partial, pcm);
    const measurement = {
      samples: plan.samples,
      blocks,
      truePeak: Number.isFinite(truePeak) ? truePeak : null,
    };
    await writeFile(`${partial}.json`, JSON.stringify(measurement));
    // The measurement is written last: its presence marks a finished chunk.
    await rename(`${partial}.json`, json);
  } finally {
    await Promise.all([rm(partial, { force: true }), rm(`${partial}.json`, { force: true })]);
  }
  return { path: pcm, key, blocks, truePeak, reused: false };
}

async function readMeasurement(file: string): Promise<z.infer<typeof MeasurementSchema> | undefined> {
  try {
    return MeasurementSchema.parse(JSON.parse(await readFile(file, "utf8")));
  } catch {
    return undefined;
  }
}
