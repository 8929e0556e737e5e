import { LitinkError } from "../../errors/index.ts";
import type { Logger } from "../../logging/index.ts";
import type { FfmpegBinaries } from "../../media/index.ts";
import type { Renderer } from "../renderer.ts";

/** Options of {@link createFfmpegRenderer}. */
export interface FfmpegRendererOptions {
  /** FFmpeg and ffprobe to use; @defaultValue `resolveFfmpeg()` */
  readonly binaries?: FfmpegBinaries | undefined;
  /** Folder of the segment cache (and work files). */
  readonly cacheDir: string;
  readonly logger?: Logger | undefined;
  /** Segments rendered at once. @defaultValue 2 */
  readonly concurrency?: number | undefined;
}

/** Creates the FFmpeg {@link Renderer}. */
export function createFfmpegRenderer(options: FfmpegRendererOptions): Renderer {
  throw new LitinkError(
    "render.not_implemented",
    `the FFmpeg renderer is not implemented yet (cache ${options.cacheDir})`,
  );
}
