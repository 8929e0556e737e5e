export { createFfmpegRenderer, type FfmpegRendererOptions } from "./ffmpeg-renderer.ts";
