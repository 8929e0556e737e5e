import { SAMPLE_RATE } from "./sample-rate.ts";

/** Loudness targets (EBU R128). */
export interface LoudnessTarget {
  /** Integrated loudness, LUFS. */
  readonly integrated: number;
  /** True peak ceiling, dBTP. */
  readonly truePeak: number;
}

/** What a track measured: integrated loudness (LUFS) and true peak (dBTP); -Infinity for silence. */
export interface LoudnessMeasurement {
  readonly integrated: number;
  readonly truePeak: number;
}

/**
 * dB kept between the limiter's sample-peak limit and the true-peak ceiling: the peaks between
 * samples (and the AAC encoder) can go over the sample peaks by about this much.
 */
const INTER_SAMPLE_MARGIN = 1;
/** Limiter look-ahead, ms. `alimiter` in FFmpeg 4.1 delays its output by this less one sample. */
const LIMITER_ATTACK_MS = 5;

/**
 * dB between the gains a track may get. An edit moves a long track's loudness by hundredths of a LU;
 * rounding the gain to this step keeps it (and so every unchanged piece of the encoded track) the
 * same, at the cost of landing up to a quarter LU off the target (QC allows one).
 */
const GAIN_STEP = 0.5;

/**
 * The filter that brings a measured track to the target loudness (the gain rounded to {@link GAIN_STEP}). A plain gain (`volume`) when it
 * keeps the true peak under the ceiling; otherwise the same gain into a look-ahead limiter
 * (`alimiter`) whose limit sits {@link INTER_SAMPLE_MARGIN} dB under the ceiling, its delay cut
 * away so the track keeps its length and its sync. Silence is left alone.
 */
export function loudnessGainFilter(target: LoudnessTarget, measured: LoudnessMeasurement): string {
  if (!Number.isFinite(measured.integrated) || measured.integrated < -70) return "anull";
  const gain = Math.round((target.integrated - measured.integrated) / GAIN_STEP) * GAIN_STEP;
  const volume = `volume=${gain.toFixed(2)}dB`;
  if (!(measured.truePeak + gain > target.truePeak)) return volume;
  const limit = 10 ** ((target.truePeak - INTER_SAMPLE_MARGIN) / 20);
  const delay = Math.round((LIMITER_ATTACK_MS * SAMPLE_RATE) / 1000) - 1;
  return [
    volume,
    `apad=pad_len=${delay}`,
    `alimiter=limit=${limit.toFixed(4)}:attack=${LIMITER_ATTACK_MS}:release=50:level=0`,
    `atrim=start_sample=${delay}`,
    "asetpts=N/SR/TB",
  ].join(",");
}
