import { mkdir, mkdtemp, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import {
  buildAudioMixCommand,
  LOUDNORM_MIN_SECONDS,
  type LoudnessTarget,
  loudnormApplyFilter,
  type PlacedNarration,
  parseEbur128Summary,
  parseLoudnormStats,
  SAMPLE_RATE,
  shortAudioGainFilter,
} from "../audio/index.ts";
import type { Timeline } from "../timeline.ts";
import type { TimelineLayout } from "../timeline-layout.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { segmentKey } from "./segment-cache.ts";

/** What {@link renderAudioTrack} needs. */
export interface AudioTrackContext {
  readonly ffmpegPath: string;
  readonly ffmpegVersion: string;
  readonly cacheDir: string;
  readonly hash: (file: string) => Promise<string>;
  readonly signal?: AbortSignal | undefined;
  /** 0..1 as the track is mixed, measured and encoded. */
  readonly onFraction?: ((fraction: number) => void) | undefined;
}

/** The finished AAC track of a whole video. */
export interface AudioTrack {
  readonly path: string;
  readonly key: string;
  readonly reused: boolean;
}

/** Where narration is placed on the video, from the layout. */
function placeNarrations(layout: TimelineLayout): PlacedNarration[] {
  return layout.segments.flatMap((plan) =>
    plan.clip.narration
      ? [
          {
            path: plan.clip.narration.path,
            start: plan.startFrame / layout.fps + plan.clip.narration.offset,
            volume: plan.clip.narration.volume,
          },
        ]
      : [],
  );
}

/**
 * Mixes the whole video's audio while measuring it (first loudnorm pass), normalizes it while
 * encoding (second pass; a capped gain under 3 s) and
 * encodes it to AAC once, cached by the hash of the narration and music files, their places, volumes,
 * the loudness target and the length: a change to the pictures reuses the track as it is.
 */
export async function renderAudioTrack(
  timeline: Timeline,
  layout: TimelineLayout,
  context: AudioTrackContext,
): Promise<AudioTrack> {
  const { ffmpegPath, signal } = context;
  const report = context.onFraction ?? ((): void => {});
  const narrations = placeNarrations(layout);
  const target: LoudnessTarget = {
    integrated: timeline.output.loudnessTarget,
    truePeak: timeline.output.truePeak,
  };
  const fragment = {
    kind: "audio",
    duration: layout.duration,
    target,
    narrations: await Promise.all(
      narrations.map(async (narration) => ({ ...narration, path: await context.hash(narration.path) })),
    ),
    music: timeline.music ? { ...timeline.music, path: await context.hash(timeline.music.path) } : undefined,
  };
  const key = segmentKey(fragment, context.ffmpegVersion);
  const folder = path.join(context.cacheDir, "audio");
  const finished = path.join(folder, `${key}.m4a`);
  if (await exists(finished)) {
    report(1);
    return { path: finished, key, reused: true };
  }
  await mkdir(folder, { recursive: true });
  const workDir = await mkdtemp(path.join(folder, "work-"));
  const partial = path.join(workDir, "track.m4a");
  try {
    const mixPath = path.join(workDir, "mix.wav");
    // loudnorm needs a 3-second window; shorter audio is measured with ebur128 and given a capped gain.
    const meter = layout.duration < LOUDNORM_MIN_SECONDS ? "ebur128" : "loudnorm";
    const mixed = await runFfmpeg(
      ffmpegPath,
      buildAudioMixCommand({
        narrations,
        music: timeline.music,
        duration: layout.duration,
        outputPath: mixPath,
        measure: { with: meter, target },
      }),
      {
        signal,
        label: "audio mix",
        outputs: [mixPath],
        onProgress: (block) => report((0.5 * block.outTime) / layout.duration),
      },
    );
    const filter =
      meter === "loudnorm"
        ? loudnormApplyFilter(target, parseLoudnormStats(mixed.stderr))
        : shortAudioGainFilter(target, parseEbur128Summary(mixed.stderr));
    report(0.6);
    await runFfmpeg(
      ffmpegPath,
      [
        "-hide_banner",
        "-nostdin",
        "-y",
        "-i",
        mixPath,
        "-af",
        filter,
        "-c:a",
        "aac",
        "-b:a",
        "160k",
        "-ar",
        String(SAMPLE_RATE),
        "-ac",
        "2",
        "-progress",
        "pipe:1",
        "-f",
        "mp4",
        partial,
      ],
      {
        signal,
        label: "audio encode",
        outputs: [partial],
        onProgress: (block) => report(0.6 + (0.4 * block.outTime) / layout.duration),
      },
    );
    await rename(partial, finished);
    report(1);
    return { path: finished, key, reused: false };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch {
    return false;
  }
}
