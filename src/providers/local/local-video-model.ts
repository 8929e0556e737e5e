import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { resolveFfmpeg } from "../../media/index.ts";
import { ProviderError } from "../provider-error.ts";
import type { CallOptions, ImageToVideoModel, ImageToVideoRequest, VideoResult } from "../types.ts";
import type { LocalProviderOptions } from "./local-provider-options.ts";
import { LOCAL_PROVIDER_NAME } from "./local-unsupported.ts";
import { chooseMove, kenBurnsFilter } from "./motion/ken-burns.ts";
import { runChildProcess } from "./run-child-process.ts";

const DEFAULT_VIDEO_TIMEOUT_MS = 300_000;
const MAX_DURATION_SECONDS = 120;
const MAX_SIDE = 4096;

/**
 * Offline image-to-video: a Ken Burns move (zoom in or out, pan left or right, eased) on the still with
 * FFmpeg's zoompan, encoded as H.264 MP4 (yuv420p, no audio) of exactly the requested size and of
 * `ceil(durationSeconds × fps)` frames (never shorter than asked). The move follows the prompt ("slow push in") or the seed.
 */
export class LocalVideoModel implements ImageToVideoModel {
  readonly provider = LOCAL_PROVIDER_NAME;

  constructor(
    readonly modelId: string,
    private readonly options: LocalProviderOptions = {},
  ) {}

  /** Renders the clip; `costMicros` is 0. */
  async generate(request: ImageToVideoRequest, options?: CallOptions): Promise<VideoResult> {
    const fps = request.fps ?? 25;
    this.#check(request, fps);
    // Never shorter than asked: a clip under narration must last as long as the speech.
    const frames = Math.max(1, Math.ceil(request.durationSeconds * fps - 1e-6));
    const { ffmpeg } = await resolveFfmpeg(this.options.ffmpeg);
    const directory = await mkdtemp(path.join(tmpdir(), "litink-kenburns-"));
    try {
      const still = path.join(directory, "still");
      const clip = path.join(directory, "clip.mp4");
      await writeFile(still, request.image.data);
      const filter = kenBurnsFilter({
        move: chooseMove(request.prompt, request.seed ?? 0),
        width: request.width,
        height: request.height,
        fps,
        frames,
      });
      await runChildProcess(
        ffmpeg.path,
        [
          ...["-hide_banner", "-nostdin", "-loglevel", "error", "-y"],
          ...["-i", still],
          ...["-vf", filter, "-frames:v", String(frames), "-an"],
          ...["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-threads", "2", "-pix_fmt", "yuv420p"],
          ...[
            "-map_metadata",
            "-1",
            "-fflags",
            "+bitexact",
            "-flags:v",
            "+bitexact",
            "-movflags",
            "+faststart",
          ],
          clip,
        ],
        {
          label: "FFmpeg (Ken Burns)",
          timeoutMs: this.options.videoTimeoutMs ?? DEFAULT_VIDEO_TIMEOUT_MS,
          signal: options?.signal,
          modelId: this.modelId,
        },
      );
      return {
        video: new Uint8Array(await readFile(clip)),
        mediaType: "video/mp4",
        durationSeconds: frames / fps,
        modelId: this.modelId,
        costMicros: 0,
      };
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  #check(request: ImageToVideoRequest, fps: number): void {
    const problems: string[] = [];
    for (const [field, value] of [
      ["width", request.width],
      ["height", request.height],
    ] as const) {
      if (!Number.isInteger(value) || value < 16 || value > MAX_SIDE || value % 2 !== 0) {
        problems.push(
          `${field} must be an even whole number of pixels from 16 to ${MAX_SIDE} (H.264 4:2:0), got ${value}`,
        );
      }
    }
    if (!(request.durationSeconds > 0 && request.durationSeconds <= MAX_DURATION_SECONDS)) {
      problems.push(
        `durationSeconds must be above 0 and at most ${MAX_DURATION_SECONDS}, got ${request.durationSeconds}`,
      );
    }
    if (!(Number.isInteger(fps) && fps >= 1 && fps <= 60))
      problems.push(`fps must be a whole number from 1 to 60, got ${fps}`);
    if (!/^image\//.test(request.image.mediaType) || request.image.data.byteLength === 0) {
      problems.push(`image must be a non-empty image/* payload, got ${request.image.mediaType}`);
    }
    if (problems.length > 0) {
      throw new ProviderError(`image-to-video request: ${problems.join("; ")}`, {
        provider: LOCAL_PROVIDER_NAME,
        modelId: this.modelId,
        kind: "bad_request",
      });
    }
  }
}
