export { createFfmpegRenderer, type FfmpegRendererOptions } from "./ffmpeg-renderer.ts";
export { type ProbedMedia, probeMedia } from "./probe-media.ts";
export { runFfmpeg } from "./run-ffmpeg.ts";
