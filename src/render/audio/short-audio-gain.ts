import type { LoudnessTarget } from "./loudnorm.ts";

/** Below this length `loudnorm` cannot measure (it needs a 3-second window), so a plain gain is used. */
export const LOUDNORM_MIN_SECONDS = 3;

/** The last ebur128 summary in `stderr`: integrated loudness (LUFS) and true peak (dBTP). */
export function parseEbur128Summary(stderr: string): {
  integrated: number | undefined;
  truePeak: number | undefined;
} {
  const summary = stderr.lastIndexOf("Summary:");
  const tail = summary >= 0 ? stderr.slice(summary) : "";
  const integrated = /Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+|-inf)\s*LUFS/.exec(tail)?.[1];
  const peak = /True peak:\s*\n\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS/.exec(tail)?.[1];
  const decibels = (text: string | undefined): number | undefined =>
    text === undefined ? undefined : text === "-inf" ? Number.NEGATIVE_INFINITY : Number(text);
  return { integrated: decibels(integrated), truePeak: decibels(peak) };
}

/**
 * A `volume` filter that brings short audio to the target loudness, never pushing the true peak over
 * the ceiling (then the result stays quieter than the target). Silence is left alone.
 */
export function shortAudioGainFilter(
  target: LoudnessTarget,
  measured: { integrated: number | undefined; truePeak: number | undefined },
): string {
  const { integrated, truePeak } = measured;
  if (integrated === undefined || truePeak === undefined || !Number.isFinite(integrated) || integrated < -69)
    return "anull";
  const gain = Math.min(
    target.integrated - integrated,
    Number.isFinite(truePeak) ? target.truePeak - truePeak : 0,
  );
  return `volume=${gain.toFixed(2)}dB`;
}
