import type { QualityLevel } from "../timeline.ts";

/** x264 settings of one quality level. */
interface QualitySettings {
  readonly crf: number;
  readonly preset: string;
}

/** CRF and x264 preset for each quality level. */
const QUALITY_SETTINGS: Readonly<Record<QualityLevel, QualitySettings>> = {
  draft: { crf: 28, preset: "ultrafast" },
  standard: { crf: 23, preset: "veryfast" },
  high: { crf: 19, preset: "medium" },
};

/**
 * Video encoder arguments shared by every segment, so segments join with the concat demuxer
 * without re-encoding: H.264 High, yuv420p, constant frame rate, fixed GOP and track timescale.
 */
export function videoEncoderArgs(quality: QualityLevel, fps: number): string[] {
  const { crf, preset } = QUALITY_SETTINGS[quality];
  return [
    "-c:v",
    "libx264",
    "-preset",
    preset,
    "-crf",
    String(crf),
    "-profile:v",
    "high",
    // The fast presets turn off 8x8 transforms, which makes x264 write a Baseline stream; keep High.
    "-x264-params",
    "8x8dct=1",
    "-pix_fmt",
    "yuv420p",
    "-r",
    String(fps),
    "-g",
    String(fps * 2),
    "-video_track_timescale",
    String(fps * 1000),
  ];
}
