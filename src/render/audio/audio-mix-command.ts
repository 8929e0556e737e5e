import type { Music } from "../timeline.ts";
import type { LoudnessTarget } from "./loudnorm.ts";
import { sumStereoFilters } from "./sum-filter.ts";

/** One narration placed on the video timeline. */
export interface PlacedNarration {
  readonly path: string;
  /** Seconds from the start of the video. */
  readonly start: number;
  readonly volume: number;
}

/** Inputs of {@link buildAudioMixCommand}. */
export interface AudioMixSpec {
  readonly narrations: readonly PlacedNarration[];
  readonly music?: Music | undefined;
  /** Seconds: the mix is padded or cut to exactly this length. */
  readonly duration: number;
  readonly outputPath: string;
  /**
   * Also measure the mix in the same pass and print the stats on stderr: `loudnorm` JSON (the first
   * of the two loudnorm passes) or, for `"ebur128"`, an ebur128 summary (audio under 3 s).
   */
  readonly measure?: { readonly with: "loudnorm" | "ebur128"; readonly target: LoudnessTarget } | undefined;
}

/** Sample rate of every LitinkAI mix. */
export const SAMPLE_RATE = 48_000;

const NORMALIZE = `aresample=${SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;

/**
 * FFmpeg arguments that mix the whole video's audio to a float WAV: narrations delayed to their
 * places and added without level changes, music looped, faded and (when `duck`) sidechain-compressed
 * under the narration and added, then padded or cut to the video length. Loudness is normalized afterwards, in two passes, on this file.
 */
export function buildAudioMixCommand(spec: AudioMixSpec): string[] {
  const { narrations, music, duration, outputPath } = spec;
  const inputs: string[] = [];
  const graph: string[] = [];
  const samples = Math.round(duration * SAMPLE_RATE);
  // Sample counts, not seconds: exact lengths, and they avoid an atrim assertion in FFmpeg 4.1.
  const length = `apad=whole_len=${samples},atrim=end_sample=${samples},${NORMALIZE}`;
  narrations.forEach((narration, index) => {
    inputs.push("-i", narration.path);
    const delay = Math.round(narration.start * 1000);
    graph.push(
      `[${index}:a]${NORMALIZE},volume=${narration.volume},adelay=${delay}|${delay},${length}[n${index}]`,
    );
  });
  // Every narration is padded to the full length and the streams are added exactly: no level changes.
  const voice = narrations.length > 0 ? "voice" : undefined;
  if (voice)
    graph.push(
      ...sumStereoFilters(
        narrations.map((_, index) => `n${index}`),
        voice,
      ),
    );
  if (music) {
    const musicInput = narrations.length;
    inputs.push("-stream_loop", "-1", "-i", music.path);
    const fades = [`afade=t=in:st=0:d=${seconds(Math.min(music.fadeIn, duration / 2))}`];
    if (music.fadeOut > 0) {
      const fadeOut = Math.min(music.fadeOut, duration / 2);
      fades.push(`afade=t=out:st=${seconds(duration - fadeOut)}:d=${seconds(fadeOut)}`);
    }
    graph.push(
      `[${musicInput}:a]${NORMALIZE},atrim=end_sample=${samples},volume=${music.volume},${fades.join(",")},${length}[music]`,
    );
    if (voice && music.duck) {
      graph.push(
        "[voice]asplit=2[voice_key][voice_mix]",
        "[music][voice_key]sidechaincompress=threshold=0.03:ratio=8:attack=20:release=350:makeup=1[ducked]",
        ...sumStereoFilters(["ducked", "voice_mix"], "mix"),
      );
    } else if (voice) {
      graph.push(...sumStereoFilters(["music", voice], "mix"));
    } else {
      graph.push("[music]anull[mix]");
    }
  } else if (voice) {
    graph.push("[voice]anull[mix]");
  } else {
    graph.push(`anullsrc=r=${SAMPLE_RATE}:cl=stereo,atrim=end_sample=${samples}[mix]`);
  }
  if (spec.measure) {
    const { target } = spec.measure;
    const meter =
      spec.measure.with === "loudnorm"
        ? `loudnorm=I=${target.integrated}:TP=${target.truePeak}:LRA=${target.range ?? 11}:print_format=json`
        : "ebur128=peak=true";
    graph.push(`[mix]asplit=2[mix_out][mix_meter]`, `[mix_meter]${meter},anullsink`);
  }
  return [
    "-hide_banner",
    "-nostdin",
    "-y",
    ...inputs,
    "-filter_complex",
    graph.join(";"),
    "-map",
    spec.measure ? "[mix_out]" : "[mix]",
    "-c:a",
    "pcm_f32le",
    "-ar",
    String(SAMPLE_RATE),
    "-progress",
    "pipe:1",
    "-f",
    "wav",
    outputPath,
  ];
}

function seconds(value: number): string {
  return String(Number(value.toFixed(6)));
}
