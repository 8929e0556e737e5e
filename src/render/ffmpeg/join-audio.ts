import { mkdir } from "node:fs/promises";
import path from "node:path";
import { LitinkError } from "../../errors/index.ts";
import { resolveFfmpeg } from "../../media/index.ts";
import { probeMedia } from "./probe-media.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";

/** One piece of speech to join, with the silence to put before it. */
export interface AudioPiece {
  readonly path: string;
  /** Seconds of silence before this piece. @defaultValue 0 */
  readonly silenceBefore?: number | undefined;
}

/** The joined file, and where each piece starts in it. */
export interface JoinedAudio {
  readonly path: string;
  /** Seconds. */
  readonly duration: number;
  /** Start of each piece in the joined file, in seconds (same order as the input). */
  readonly starts: readonly number[];
  /** Measured length of each piece, in seconds. */
  readonly durations: readonly number[];
}

/** Sample rate of joined speech: every piece is resampled to it so joins are exact. */
const SAMPLE_RATE = 48_000;

/**
 * Joins speech files (WAV, MP3, …) into one mono 48 kHz WAV with the given silences between them, and
 * reports where each piece starts, measured with ffprobe, so word timings can be moved onto the joined
 * track exactly. Used for a scene's narration and dialogue lines.
 */
export async function joinAudio(
  pieces: readonly AudioPiece[],
  outputPath: string,
  options: { signal?: AbortSignal | undefined; ffmpegPath?: string; ffprobePath?: string } = {},
): Promise<JoinedAudio> {
  if (pieces.length === 0) throw new LitinkError("render.no_audio", "there is no audio to join");
  const binaries = await resolveFfmpeg({ ffmpegPath: options.ffmpegPath, ffprobePath: options.ffprobePath });
  const durations: number[] = [];
  for (const piece of pieces) {
    const probed = await probeMedia(binaries.ffprobe.path, piece.path, options.signal);
    const audio = probed.streams.find((stream) => stream.type === "audio");
    const duration = audio?.duration ?? probed.duration;
    if (!audio || !Number.isFinite(duration) || duration <= 0) {
      throw new LitinkError(
        "render.invalid_audio",
        `${piece.path}: not a playable audio file (no audio or zero length)`,
      );
    }
    durations.push(duration);
  }
  const args: string[] = ["-hide_banner", "-nostdin", "-y", "-v", "error"];
  for (const piece of pieces) args.push("-i", piece.path);
  const filters: string[] = [];
  const labels: string[] = [];
  const starts: number[] = [];
  let cursor = 0;
  pieces.forEach((piece, index) => {
    const silence = Math.max(0, piece.silenceBefore ?? 0);
    if (silence > 0) {
      filters.push(
        `anullsrc=r=${SAMPLE_RATE}:cl=mono,atrim=end_sample=${Math.round(silence * SAMPLE_RATE)}[s${index}]`,
      );
      labels.push(`[s${index}]`);
      cursor += Math.round(silence * SAMPLE_RATE) / SAMPLE_RATE;
    }
    filters.push(
      `[${index}:a]aresample=${SAMPLE_RATE},aformat=sample_fmts=s16:channel_layouts=mono,asetpts=N/SR/TB[a${index}]`,
    );
    labels.push(`[a${index}]`);
    starts.push(cursor);
    cursor += durations[index] ?? 0;
  });
  filters.push(`${labels.join("")}concat=n=${labels.length}:v=0:a=1[out]`);
  await mkdir(path.dirname(outputPath), { recursive: true });
  args.push(
    "-filter_complex",
    filters.join(";"),
    "-map",
    "[out]",
    "-c:a",
    "pcm_s16le",
    "-f",
    "wav",
    outputPath,
  );
  await runFfmpeg(binaries.ffmpeg.path, args, {
    signal: options.signal,
    outputs: [outputPath],
    label: "join audio",
  });
  const joined = await probeMedia(binaries.ffprobe.path, outputPath, options.signal);
  return { path: outputPath, duration: joined.duration, starts, durations };
}
