export {
  AAC_FRAME,
  adtsPackets,
  keptPackets,
  nearestAacFrame,
  planTrackPieces,
  type TrackPiece,
} from "./aac-splice.ts";
export { buildAudioChunkCommand } from "./audio-chunk-command.ts";
export { type AudioChunkPlan, type NarrationSpan, planAudioChunks } from "./audio-chunk-plan.ts";
export { AAC_ENCODER_ARGS, buildAudioMixCommand } from "./audio-mix-command.ts";
export { gatedLoudness, momentaryLoudnessOf } from "./block-loudness.ts";
export { parseEbur128Summary } from "./ebur128-summary.ts";
export { type LoudnessTarget, loudnessGainFilter } from "./loudness-gain.ts";
export { SAMPLE_RATE } from "./sample-rate.ts";
