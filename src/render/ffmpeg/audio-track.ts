import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  type AudioChunkPlan,
  buildAudioMixCommand,
  gatedLoudness,
  type LoudnessTarget,
  loudnessGainFilter,
  type NarrationSpan,
  parseEbur128Summary,
  planAudioChunks,
  SAMPLE_RATE,
} from "../audio/index.ts";
import type { Timeline } from "../timeline.ts";
import type { TimelineLayout } from "../timeline-layout.ts";
import { type AudioChunk, renderAudioChunk } from "./audio-chunk.ts";
import { probeMedia } from "./probe-media.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { segmentKey } from "./segment-cache.ts";

/** What {@link renderAudioTrack} needs. */
export interface AudioTrackContext {
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  readonly ffmpegVersion: string;
  readonly cacheDir: string;
  readonly hash: (file: string) => Promise<string>;
  readonly signal?: AbortSignal | undefined;
  /** 0..1 as the chunks are made and the track is encoded. */
  readonly onFraction?: ((fraction: number) => void) | undefined;
}

/** The finished AAC track of a whole video. */
export interface AudioTrack {
  readonly path: string;
  readonly key: string;
  readonly reused: boolean;
  /** Narration chunks (one per segment) rendered now and taken from the cache. */
  readonly chunks: { readonly rendered: number; readonly reused: number };
}

/** Extra samples played when a narration has no `length`: a probed duration may fall a little short. */
const UNKNOWN_END_MARGIN = Math.round(0.05 * SAMPLE_RATE);
/** Longest `concat:` argument passed to FFmpeg; past it the chunks are joined into one file first. */
const MAX_CONCAT_ARGUMENT = 100_000;

/** A narration on the video timeline, as the track's cache key sees it (seconds). */
interface PlacedNarration {
  readonly path: string;
  readonly start: number;
  readonly from: number | undefined;
  readonly length: number | undefined;
  readonly volume: number;
}

/** Sample of the mix where frame `frame` starts: segments and chunks share these boundaries. */
function sampleAt(frame: number, fps: number): number {
  return Math.round((frame * SAMPLE_RATE) / fps);
}

/**
 * Makes the whole video's audio from cached chunks, one per segment: each chunk holds the narration
 * under its segment, cut by sample, rendered to raw PCM and measured (ebur128 block loudness and
 * true peak) in the same pass. The track's integrated loudness is gated from all chunks' blocks and
 * its true peak is the chunks' highest, so the one final pass joins the chunks, adds the music,
 * applies the gain (a limiter when the gain would push the true peak over the ceiling) and encodes
 * AAC. With music the mix is measured in a pass of its own first (the chunks do not hear the music).
 * The finished track is cached by the hash of the narration and music files, their places, cuts,
 * volumes, the loudness target and the length: a change to the pictures reuses it as it is, and an
 * edit of one narration re-makes only its chunk before the final pass.
 */
export async function renderAudioTrack(
  timeline: Timeline,
  layout: TimelineLayout,
  context: AudioTrackContext,
): Promise<AudioTrack> {
  const { ffmpegPath, signal } = context;
  const report = context.onFraction ?? ((): void => {});
  const placed = placeNarrations(layout);
  const target: LoudnessTarget = {
    integrated: timeline.output.loudnessTarget,
    truePeak: timeline.output.truePeak,
  };
  const fragment = {
    kind: "audio-track/2",
    duration: layout.duration,
    target,
    narrations: await Promise.all(
      placed.map(async (narration) => ({ ...narration, path: await context.hash(narration.path) })),
    ),
    music: timeline.music ? { ...timeline.music, path: await context.hash(timeline.music.path) } : undefined,
  };
  const key = segmentKey(fragment, context.ffmpegVersion);
  const folder = path.join(context.cacheDir, "audio");
  const finished = path.join(folder, `${key}.m4a`);
  if (await exists(finished)) {
    report(1);
    return { path: finished, key, reused: true, chunks: { rendered: 0, reused: 0 } };
  }
  const boundaries = [
    ...layout.segments.map((plan) => sampleAt(plan.startFrame, layout.fps)),
    sampleAt(layout.totalFrames, layout.fps),
  ];
  const samples = boundaries[boundaries.length - 1] ?? 0;
  const spans = await narrationSpans(layout, context);
  const plans: AudioChunkPlan[] = spans.length > 0 ? planAudioChunks(boundaries, spans) : [];
  // Chunks are small FFmpeg runs (startup-bound): a few at once, on as many cores as there are.
  const chunks = new Array<AudioChunk>(plans.length);
  let next = 0;
  let madeSamples = 0;
  const lane = async (): Promise<void> => {
    while (next < plans.length) {
      const index = next++;
      const plan = plans[index]!;
      chunks[index] = await renderAudioChunk(plan, {
        ffmpegPath,
        ffmpegVersion: context.ffmpegVersion,
        folder: path.join(folder, "chunks"),
        hash: context.hash,
        signal,
      });
      madeSamples += plan.samples;
      report((0.5 * madeSamples) / Math.max(1, samples));
    }
  };
  await Promise.all(Array.from({ length: Math.min(plans.length, os.availableParallelism()) }, lane));
  report(0.5);
  await mkdir(folder, { recursive: true });
  const workDir = await mkdtemp(path.join(folder, "work-"));
  const partial = path.join(workDir, "track.m4a");
  try {
    const joined = await joinableChunks(
      chunks.map((chunk) => chunk.path),
      workDir,
    );
    const mix = { chunks: joined, music: timeline.music, samples };
    let measured = {
      integrated: gatedLoudness(chunks.flatMap((chunk) => chunk.blocks)),
      truePeak: Math.max(Number.NEGATIVE_INFINITY, ...chunks.map((chunk) => chunk.truePeak)),
    };
    if (timeline.music) {
      const { stderr } = await runFfmpeg(
        ffmpegPath,
        buildAudioMixCommand({ ...mix, output: { kind: "measure" } }),
        {
          signal,
          label: "audio measure",
        },
      );
      const summary = parseEbur128Summary(stderr);
      measured = {
        integrated: summary.integrated ?? Number.NEGATIVE_INFINITY,
        truePeak: summary.truePeak ?? Number.NEGATIVE_INFINITY,
      };
    }
    report(0.6);
    const filter = loudnessGainFilter(target, measured);
    await runFfmpeg(
      ffmpegPath,
      buildAudioMixCommand({ ...mix, output: { kind: "encode", filter, path: partial } }),
      {
        signal,
        label: "audio encode",
        outputs: [partial],
        onProgress: (block) => report(0.6 + (0.4 * block.outTime) / layout.duration),
      },
    );
    await rename(partial, finished);
    report(1);
    const rendered = chunks.filter((chunk) => !chunk.reused).length;
    return { path: finished, key, reused: false, chunks: { rendered, reused: chunks.length - rendered } };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Where narration is placed on the video, from the layout (the cache key's view). */
function placeNarrations(layout: TimelineLayout): PlacedNarration[] {
  return layout.segments.flatMap((plan) => {
    const narration = plan.clip.narration;
    if (!narration) return [];
    return [
      {
        path: narration.path,
        start: plan.startFrame / layout.fps + narration.offset,
        from: narration.from,
        length: narration.length,
        volume: narration.volume,
      },
    ];
  });
}

/** The narrations in samples; those without `length` play to the end of the file (probed). */
async function narrationSpans(layout: TimelineLayout, context: AudioTrackContext): Promise<NarrationSpan[]> {
  const spans = await Promise.all(
    layout.segments.map(async (plan): Promise<NarrationSpan | undefined> => {
      const narration = plan.clip.narration;
      if (!narration) return undefined;
      const from = Math.round((narration.from ?? 0) * SAMPLE_RATE);
      let played: number;
      if (narration.length !== undefined) {
        played = Math.round(narration.length * SAMPLE_RATE);
      } else {
        const probed = await probeMedia(context.ffprobePath, narration.path, context.signal);
        const audio = probed.streams.find((stream) => stream.type === "audio");
        const seconds = audio?.duration ?? probed.duration;
        played = Number.isFinite(seconds)
          ? Math.max(0, Math.round(seconds * SAMPLE_RATE) - from + UNKNOWN_END_MARGIN)
          : Number.MAX_SAFE_INTEGER;
      }
      return {
        path: narration.path,
        start: sampleAt(plan.startFrame, layout.fps) + Math.round(narration.offset * SAMPLE_RATE),
        from,
        samples: played,
        volume: narration.volume,
      };
    }),
  );
  return spans.filter((span) => span !== undefined);
}

/**
 * The chunk files as FFmpeg's `concat:` protocol joins them; a very long list (thousands of clips)
 * would overflow one argument, so it is first copied into one file.
 */
async function joinableChunks(files: readonly string[], workDir: string): Promise<string[]> {
  const absolute = files.map((file) => path.resolve(file));
  if (absolute.join("|").length <= MAX_CONCAT_ARGUMENT) return absolute;
  const joined = path.join(workDir, "narration.pcm");
  const output = createWriteStream(joined);
  for (const file of absolute) {
    for await (const data of createReadStream(file)) {
      if (!output.write(data)) await once(output, "drain");
    }
  }
  output.end();
  await once(output, "finish");
  return [joined];
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}
