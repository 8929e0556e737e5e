import { z } from "zod";
import { LitinkError } from "../../errors/index.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";

const ProbeSchema = z.object({
  streams: z
    .array(
      z.object({
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        profile: z.string().optional(),
        pix_fmt: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        avg_frame_rate: z.string().optional(),
        r_frame_rate: z.string().optional(),
        duration: z.string().optional(),
        sample_rate: z.string().optional(),
        channels: z.number().optional(),
      }),
    )
    .default([]),
  format: z.object({ duration: z.string().optional(), format_name: z.string().optional() }).default({}),
  chapters: z
    .array(
      z.object({
        start_time: z.string(),
        end_time: z.string(),
        tags: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default([]),
});

/** One stream as ffprobe describes it. */
interface ProbedStream {
  readonly type: string;
  readonly codec: string;
  readonly profile: string | undefined;
  readonly pixelFormat: string | undefined;
  readonly width: number | undefined;
  readonly height: number | undefined;
  /** Frames per second (average). */
  readonly fps: number | undefined;
  readonly duration: number | undefined;
}

/** What ffprobe says about a media file. */
export interface ProbedMedia {
  readonly formatName: string;
  /** Seconds; NaN when unknown. */
  readonly duration: number;
  readonly streams: readonly ProbedStream[];
  readonly chapters: readonly { title: string; start: number; end: number }[];
}

/** Runs ffprobe on `file` (JSON output) and returns its streams, duration and chapters. */
export async function probeMedia(
  ffprobePath: string,
  file: string,
  signal?: AbortSignal,
): Promise<ProbedMedia> {
  const { stdout } = await runFfmpeg(
    ffprobePath,
    ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-show_chapters", file],
    { label: `ffprobe ${file}`, signal },
  );
  const parsed = ProbeSchema.safeParse(JSON.parse(stdout || "{}"));
  if (!parsed.success) {
    throw new LitinkError("ffmpeg.probe_failed", `${file}: ffprobe output was not understood`, {
      cause: parsed.error,
    });
  }
  const { streams, format, chapters } = parsed.data;
  return {
    formatName: format.format_name ?? "",
    duration: Number.parseFloat(format.duration ?? "NaN"),
    streams: streams.map((stream) => ({
      type: stream.codec_type ?? "unknown",
      codec: stream.codec_name ?? "unknown",
      profile: stream.profile,
      pixelFormat: stream.pix_fmt,
      width: stream.width,
      height: stream.height,
      fps: rate(stream.avg_frame_rate) ?? rate(stream.r_frame_rate),
      duration: stream.duration === undefined ? undefined : Number.parseFloat(stream.duration),
    })),
    chapters: chapters.map((chapter) => ({
      title: chapter.tags?.title ?? "",
      start: Number.parseFloat(chapter.start_time),
      end: Number.parseFloat(chapter.end_time),
    })),
  };
}

function rate(text: string | undefined): number | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? "");
  if (!match) return undefined;
  const denominator = Number(match[2]);
  return denominator > 0 ? Number(match[1]) / denominator : undefined;
}
