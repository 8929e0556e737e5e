/** Sample rate of every LitinkAI mix. */
export const SAMPLE_RATE = 48_000;

/** Filter that brings any audio to the mix format: 48 kHz, float planar, stereo. */
export const TO_MIX_FORMAT = `aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;
