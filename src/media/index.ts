export {
  type BinarySource,
  type FfmpegBinaries,
  type ResolvedBinary,
  type ResolveFfmpegOptions,
  resolveFfmpeg,
} from "./ffmpeg-binary.ts";
