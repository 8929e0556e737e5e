export {
  buildAudioMixCommand,
  type PlacedNarration,
  SAMPLE_RATE,
} from "./audio-mix-command.ts";
export {
  type LoudnessTarget,
  loudnormApplyFilter,
  loudnormMeasureArgs,
  parseLoudnormStats,
} from "./loudnorm.ts";
export {
  ebur128MeasureArgs,
  LOUDNORM_MIN_SECONDS,
  parseEbur128Summary,
  shortAudioGainFilter,
} from "./short-audio-gain.ts";
