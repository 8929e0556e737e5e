export {
  buildAudioMixCommand,
  type PlacedNarration,
  SAMPLE_RATE,
} from "./audio-mix-command.ts";
export {
  type LoudnessTarget,
  loudnormApplyFilter,
  parseLoudnormStats,
} from "./loudnorm.ts";
export {
  LOUDNORM_MIN_SECONDS,
  parseEbur128Summary,
  shortAudioGainFilter,
} from "./short-audio-gain.ts";
