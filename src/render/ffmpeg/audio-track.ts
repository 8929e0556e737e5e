import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LitinkError } from "../../errors/index.ts";
import {
  AAC_FRAME,
  type AudioChunkPlan,
  buildAudioMixCommand,
  gatedLoudness,
  type LoudnessTarget,
  loudnessGainFilter,
  type NarrationSpan,
  nearestAacFrame,
  parseEbur128Summary,
  planAudioChunks,
  planTrackPieces,
  SAMPLE_RATE,
} from "../audio/index.ts";
import { hitCacheFile } from "../cache/touch-cache-entry.ts";
import type { Analysis } from "../qc/analysis-parser.ts";
import { combinePieceAnalyses } from "../qc/piece-analysis.ts";
import { truePeakCeiling } from "../qc/qc-expectations.ts";
import type { Timeline } from "../timeline.ts";
import type { TimelineLayout } from "../timeline-layout.ts";
import { type AudioChunk, renderAudioChunk } from "./audio-chunk.ts";
import { mapWithConcurrency } from "./map-with-concurrency.ts";
import { probeMedia } from "./probe-media.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { segmentKey } from "./segment-cache.ts";
import { renderTrackPiece } from "./track-piece.ts";

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
  /** Pieces of the AAC track encoded now and taken from the cache (none for a track with music). */
  readonly pieces: { readonly rendered: number; readonly reused: number };
}

/** Raw samples are stored as 32-bit float stereo: bytes per sample frame. */
const BYTES_PER_SAMPLE = 8;

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

/** Sample of the mix where video frame `frame` starts. */
function sampleAt(frame: number, fps: number): number {
  return Math.round((frame * SAMPLE_RATE) / fps);
}

/**
 * Makes the whole video's audio from cached chunks, one per segment (placed on the AAC frame grid, see
 * `audioPlacement`): each chunk holds the narration under its segment, cut by sample, rendered to raw
 * PCM and measured (ebur128 block loudness and true peak) in the same pass. The track's integrated
 * loudness is gated from all chunks' blocks. Without music the AAC track is encoded in pieces, one per
 * chunk, cached by their samples and spliced (`splicedTrack`), so an edit re-encodes only the pieces
 * whose samples changed. With music one final pass joins the chunks, adds the music (measured in a pass
 * of its own first: the chunks do not hear it), applies the gain (a limiter when the gain would push the
 * true peak over the ceiling) and encodes AAC. The finished track is cached by the hash of the
 * narration and music files, their places, cuts, volumes, the loudness target and the length: a change
 * to the pictures reuses it as it is.
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
    kind: "audio-track/3",
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
  if (await hitCacheFile(finished)) {
    report(1);
    const none = { rendered: 0, reused: 0 };
    return { path: finished, key, reused: true, chunks: none, pieces: none };
  }
  const samples = sampleAt(layout.totalFrames, layout.fps);
  const { places, cuts: boundaries } = audioPlacement(layout, samples);
  const spans = await narrationSpans(layout, places, context);
  const plans: AudioChunkPlan[] = spans.length > 0 ? planAudioChunks(boundaries, spans) : [];
  // Chunks are small FFmpeg runs (startup-bound): a few at once, on as many cores as there are.
  let madeSamples = 0;
  const chunks = await mapWithConcurrency(plans, os.availableParallelism(), async (plan) => {
    const chunk = await renderAudioChunk(plan, {
      ffmpegPath,
      ffmpegVersion: context.ffmpegVersion,
      folder: path.join(folder, "chunks"),
      hash: context.hash,
      signal,
    });
    madeSamples += plan.samples;
    report((0.5 * madeSamples) / Math.max(1, samples));
    return chunk;
  });
  report(0.5);
  await mkdir(folder, { recursive: true });
  const workDir = await mkdtemp(path.join(folder, "work-"));
  const partial = path.join(workDir, "track.m4a");
  const chunksMade = chunks.filter((chunk) => !chunk.reused).length;
  const made = { rendered: chunksMade, reused: chunks.length - chunksMade };
  try {
    if (!timeline.music && chunks.length > 0) {
      const pieces = await splicedTrack(chunks, plans, samples, target, partial, workDir, {
        ...context,
        folder,
        ceiling: truePeakCeiling(timeline),
        qcPath: finished.replace(/\.m4a$/, ".qc.json"),
        report: (fraction) => report(0.5 + 0.5 * fraction),
      });
      await rename(partial, finished);
      report(1);
      return { path: finished, key, reused: false, chunks: made, pieces };
    }
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
    return { path: finished, key, reused: false, chunks: made, pieces: { rendered: 0, reused: 0 } };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** What {@link splicedTrack} needs beyond the track context. */
interface SpliceContext extends AudioTrackContext {
  /** The audio cache folder (pieces go to `pieces/` under it). */
  readonly folder: string;
  /** QC's true-peak ceiling, for locating the frames over it. */
  readonly ceiling: number;
  /** Where QC's analysis of the finished track is written (read by the renderer). */
  readonly qcPath: string;
  readonly report: (fraction: number) => void;
}

/**
 * The narration-only track, encoded in pieces and spliced (see decision 0013): the gain comes from the
 * chunks' blocks; the track is cut at the AAC frames nearest the segment starts; each piece is encoded
 * from the chunks' samples with a little of its neighbours' around it and keeps only its own packets,
 * cached by the samples it encoded, so an edit re-encodes the pieces whose samples changed and the
 * rest is joined byte for byte. QC's analysis of the track is combined from the pieces' and written
 * to `qcPath`. Writes the track to `output` (MP4 with the encoder delay in its edit list).
 */
async function splicedTrack(
  chunks: readonly AudioChunk[],
  plans: readonly AudioChunkPlan[],
  samples: number,
  target: LoudnessTarget,
  output: string,
  workDir: string,
  context: SpliceContext,
): Promise<{ rendered: number; reused: number }> {
  const integrated = gatedLoudness(chunks.flatMap((chunk) => chunk.blocks));
  const pieces = planTrackPieces(
    plans.map((plan) => plan.start),
    samples,
  );
  let encoded = 0;
  const results = await mapWithConcurrency(pieces, os.availableParallelism(), async (piece) => {
    // The limiter is needed only where this piece's own peaks would go over the ceiling.
    const truePeak = Math.max(
      Number.NEGATIVE_INFINITY,
      ...chunksUnder(plans, piece.inputStart, piece.inputEnd).map(
        (index) => chunks[index]?.truePeak ?? Number.NEGATIVE_INFINITY,
      ),
    );
    const result = await renderTrackPiece(
      piece,
      await readSamples(chunks, plans, piece.inputStart, piece.inputEnd),
      loudnessGainFilter(target, { integrated, truePeak }),
      {
        ffmpegPath: context.ffmpegPath,
        ffmpegVersion: context.ffmpegVersion,
        folder: path.join(context.folder, "pieces"),
        workDir,
        signal: context.signal,
      },
    );
    encoded += piece.end - piece.start;
    context.report((0.9 * encoded) / Math.max(1, samples));
    return result;
  });
  const joined = path.join(workDir, "track.aac");
  await writeFile(joined, Buffer.concat(await Promise.all(results.map((result) => readFile(result.path)))));
  await runFfmpeg(
    context.ffmpegPath,
    [
      "-hide_banner",
      "-nostdin",
      "-nostats",
      "-y",
      // The first piece starts with the encoder's priming frame: present it before zero, as an
      // encoder writing MP4 would, so the edit list skips it.
      "-itsoffset",
      String(-AAC_FRAME / SAMPLE_RATE),
      "-f",
      "aac",
      "-i",
      joined,
      "-c",
      "copy",
      "-f",
      "mp4",
      output,
    ],
    { signal: context.signal, label: "audio join", outputs: [output] },
  );
  const analysis: Analysis = combinePieceAnalyses(results, context.ceiling);
  const qcPartial = `${context.qcPath}.${process.pid}.${Date.now()}.partial`;
  await writeFile(qcPartial, JSON.stringify(analysis));
  await rename(qcPartial, context.qcPath);
  const rendered = results.filter((result) => !result.reused).length;
  return { rendered, reused: results.length - rendered };
}

/** Indexes of the chunks that hold samples of the track between `start` and `end`. */
function chunksUnder(plans: readonly AudioChunkPlan[], start: number, end: number): number[] {
  return plans
    .filter((plan) => plan.start < end && plan.start + plan.samples > start)
    .map((plan) => plan.index);
}

/** The track's raw samples `start..end`, read from the chunk files that hold them. */
async function readSamples(
  chunks: readonly AudioChunk[],
  plans: readonly AudioChunkPlan[],
  start: number,
  end: number,
): Promise<Buffer> {
  const out = Buffer.alloc((end - start) * BYTES_PER_SAMPLE);
  for (const index of chunksUnder(plans, start, end)) {
    const plan = plans[index] as AudioChunkPlan;
    const chunk = chunks[index] as AudioChunk;
    const from = Math.max(start, plan.start);
    const to = Math.min(end, plan.start + plan.samples);
    const file = await open(chunk.path, "r");
    try {
      const length = (to - from) * BYTES_PER_SAMPLE;
      const { bytesRead } = await file.read(
        out,
        (from - start) * BYTES_PER_SAMPLE,
        length,
        (from - plan.start) * BYTES_PER_SAMPLE,
      );
      if (bytesRead !== length) {
        throw new LitinkError(
          "render.audio_chunk_short",
          `audio chunk ${index} (${chunk.path}) holds fewer samples than planned; delete the render cache and render again`,
        );
      }
    } finally {
      await file.close();
    }
  }
  return out;
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

/** Where a segment's audio goes on the track (samples): see {@link audioPlacement}. */
interface AudioPlace {
  /** Where the segment's chunk starts: on an AAC frame. */
  readonly start: number;
  /** How far its narration is moved from the picture (under half an AAC frame, 10.7 ms). */
  readonly shift: number;
}

/** Frames of the join chunk between two runs (see {@link audioPlacement}) before the later run's own start. */
const JOIN_FRAMES = 2;

/**
 * Places each segment's audio on the AAC frame grid, so the track can be encoded in pieces that an
 * edit elsewhere moves but does not change, and returns the cuts between the chunks. A run of segments
 * playing one narration file (the shots of a scene, and clips without narration after them) moves together by the distance from its first
 * segment to the nearest AAC frame, and its chunks are cut at the frames nearest its segments' starts
 * measured from there: the run's chunks then stay the same wherever the run lands. Where one run meets
 * the next, the frame or so that rounding adds or takes away goes into a short join chunk of its own
 * (silence, in practice), so the run before keeps its length. Audio and picture stay within half an
 * AAC frame (10.7 ms) of each other; it never accumulates.
 */
function audioPlacement(layout: TimelineLayout, samples: number): { places: AudioPlace[]; cuts: number[] } {
  const places: AudioPlace[] = [];
  const cuts: number[] = [];
  let runStart = 0;
  let runPlace = 0;
  let runNarration: string | undefined;
  const cut = (at: number): void => {
    const last = cuts[cuts.length - 1];
    if (at < samples && (last === undefined || at > last)) cuts.push(at);
  };
  layout.segments.forEach((plan, index) => {
    const exact = sampleAt(plan.startFrame, layout.fps);
    const narration = plan.clip.narration?.path;
    // A clip without narration of its own joins the run before it (whose narration may play on).
    if (index === 0 || (narration !== undefined && narration !== runNarration)) {
      // Where the run before would end by its own reckoning, less the join: the same wherever it lands.
      if (index > 0) cut(runPlace + nearestAacFrame(exact - runStart) - JOIN_FRAMES * AAC_FRAME);
      runStart = exact;
      runPlace = nearestAacFrame(exact);
      runNarration = narration;
    }
    const start = Math.min(
      samples,
      Math.max(cuts[cuts.length - 1] ?? 0, runPlace + nearestAacFrame(exact - runStart)),
    );
    cut(start);
    places.push({ start, shift: runPlace - runStart });
  });
  cuts.push(samples);
  return { places, cuts };
}

/** The narrations in samples; those without `length` play to the end of the file (probed). */
async function narrationSpans(
  layout: TimelineLayout,
  placement: readonly AudioPlace[],
  context: AudioTrackContext,
): Promise<NarrationSpan[]> {
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
        start:
          sampleAt(plan.startFrame, layout.fps) +
          (placement[plan.index]?.shift ?? 0) +
          Math.round(narration.offset * SAMPLE_RATE),
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
