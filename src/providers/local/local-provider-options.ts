import type { Logger } from "../../logging/index.ts";
import type { ResolveFfmpegOptions } from "../../media/index.ts";

/** Options of {@link createLocal}; everything has a working default. */
export interface LocalProviderOptions {
  /** Where warnings go (e.g. a speech fallback). @defaultValue a silent logger */
  readonly logger?: Logger | undefined;
  /** How FFmpeg is found for image-to-video. @defaultValue resolveFfmpeg() defaults */
  readonly ffmpeg?: ResolveFfmpegOptions | undefined;
  /** How long one eSpeak NG synthesis may run before its child process is killed. @defaultValue 60_000 */
  readonly speechTimeoutMs?: number | undefined;
  /**
   * The eSpeak NG binary to run. @defaultValue `ESPEAK_NG_PATH`, else `espeak-ng` on PATH, else the npm
   * WASM build (package `espeak-ng`) in a child Node process
   */
  readonly espeakPath?: string | undefined;
  /** How many eSpeak NG WASM worker processes may run at once. @defaultValue 2 */
  readonly speechWorkers?: number | undefined;
  /** How long one FFmpeg motion render may run before it is killed. @defaultValue 300_000 */
  readonly videoTimeoutMs?: number | undefined;
}
