import { LitinkError } from "../../errors/index.ts";

/** Loudness targets (EBU R128). */
export interface LoudnessTarget {
  /** Integrated loudness, LUFS. */
  readonly integrated: number;
  /** True peak ceiling, dBTP. */
  readonly truePeak: number;
  /** Loudness range, LU. @defaultValue 11 */
  readonly range?: number;
}

/** What the first `loudnorm` pass measured. */
export interface LoudnessMeasurement {
  readonly inputI: number;
  readonly inputTp: number;
  readonly inputLra: number;
  readonly inputThresh: number;
  readonly targetOffset: number;
}

/** Reads the JSON block that the measuring `loudnorm=print_format=json` prints at the end of stderr. */
export function parseLoudnormStats(stderr: string): LoudnessMeasurement {
  const start = stderr.lastIndexOf("{");
  const end = stderr.lastIndexOf("}");
  if (start < 0 || end < start) {
    throw new LitinkError("render.loudnorm_failed", "loudnorm printed no measurement; is the audio empty?", {
      details: { stderr: stderr.slice(-2000) },
    });
  }
  const json = JSON.parse(stderr.slice(start, end + 1)) as Record<string, string>;
  const number = (key: string): number => Number.parseFloat(json[key] ?? "NaN");
  return {
    inputI: number("input_i"),
    inputTp: number("input_tp"),
    inputLra: number("input_lra"),
    inputThresh: number("input_thresh"),
    targetOffset: number("target_offset"),
  };
}

/**
 * The second-pass filter from the first pass's measurements. When a plain gain reaches the target
 * without pushing the true peak over the ceiling, it is that gain (`volume`): exactly what loudnorm's
 * linear mode applies, without its 192 kHz resampling. Otherwise `loudnorm` in its dynamic mode, fed
 * the measurements and resampled back to 48 kHz. Silence (no finite measurement) is left alone.
 */
export function loudnormApplyFilter(target: LoudnessTarget, measured: LoudnessMeasurement): string {
  const values = [
    measured.inputI,
    measured.inputTp,
    measured.inputLra,
    measured.inputThresh,
    measured.targetOffset,
  ];
  if (!values.every(Number.isFinite) || measured.inputI < -70) return "anull";
  const gain = target.integrated - measured.inputI;
  if (measured.inputTp + gain <= target.truePeak) return `volume=${gain.toFixed(2)}dB`;
  return [
    `loudnorm=I=${target.integrated}:TP=${target.truePeak}:LRA=${target.range ?? 11}`,
    `measured_I=${measured.inputI}:measured_TP=${measured.inputTp}:measured_LRA=${measured.inputLra}`,
    `measured_thresh=${measured.inputThresh}:offset=${measured.targetOffset}:linear=true,aresample=48000`,
  ].join(":");
}
