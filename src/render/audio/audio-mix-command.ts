import type { Music } from "../timeline.ts";
import { SAMPLE_RATE, TO_MIX_FORMAT } from "./sample-rate.ts";
import { sumStereoFilters } from "./sum-filter.ts";

/**
 * How every LitinkAI track is encoded: AAC-LC at 160 kb/s, 48 kHz stereo. The fast coder encodes a
 * narrated track about a third faster than the default two-loop search, with no audible difference
 * for speech at this rate.
 */
export const AAC_ENCODER_ARGS: readonly string[] = [
  "-c:a",
  "aac",
  "-aac_coder",
  "fast",
  "-b:a",
  "160k",
  "-ar",
  String(SAMPLE_RATE),
  "-ac",
  "2",
];

/** Inputs of {@link buildAudioMixCommand}. */
export interface AudioMixSpec {
  /** The narration: raw 48 kHz stereo float chunks (`f32le`), played one after the other. */
  readonly chunks: readonly string[];
  readonly music?: Music | undefined;
  /** Exact length of the track in samples. */
  readonly samples: number;
  /**
   * `measure`: only print an `ebur128` summary of the mix (for mixes with music, whose loudness the
   * narration chunks do not tell); `encode`: pass the mix through `filter` (the loudness gain) and
   * encode it to AAC in MP4 at `path`.
   */
  readonly output:
    | { readonly kind: "measure" }
    | { readonly kind: "encode"; readonly filter: string; readonly path: string };
}

/**
 * FFmpeg arguments that finish the whole video's audio: the narration chunks joined byte for byte
 * (FFmpeg's `concat:` protocol over raw PCM, so they join sample-exactly), music looped, faded and
 * (when `duck`) sidechain-compressed under the narration and added without level change, cut to
 * the exact length, then either measured or gained and encoded.
 */
export function buildAudioMixCommand(spec: AudioMixSpec): string[] {
  const { chunks, music, samples } = spec;
  const inputs: string[] = [];
  const graph: string[] = [];
  const duration = samples / SAMPLE_RATE;
  const length = `apad=whole_len=${samples},atrim=end_sample=${samples}`;
  let voice: string | undefined;
  if (chunks.length > 0) {
    const raw = ["-f", "f32le", "-ar", String(SAMPLE_RATE), "-ac", "2", "-channel_layout", "stereo"];
    inputs.push(...raw, "-i", `concat:${chunks.join("|")}`);
    graph.push(`[0:a]${TO_MIX_FORMAT},${length}[voice]`);
    voice = "voice";
  }
  if (music) {
    const musicInput = voice ? 1 : 0;
    inputs.push("-stream_loop", "-1", "-i", music.path);
    const fades = [`afade=t=in:st=0:d=${seconds(Math.min(music.fadeIn, duration / 2))}`];
    if (music.fadeOut > 0) {
      const fadeOut = Math.min(music.fadeOut, duration / 2);
      fades.push(`afade=t=out:st=${seconds(duration - fadeOut)}:d=${seconds(fadeOut)}`);
    }
    graph.push(
      `[${musicInput}:a]${TO_MIX_FORMAT},atrim=end_sample=${samples},volume=${music.volume},${fades.join(",")},${length}[music]`,
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
  const head = ["-hide_banner", "-nostdin", "-nostats", "-y", ...inputs, "-filter_complex"];
  if (spec.output.kind === "measure") {
    graph.push("[mix]ebur128=peak=true:framelog=verbose[measured]");
    return [...head, graph.join(";"), "-map", "[measured]", "-f", "null", "-"];
  }
  graph.push(`[mix]${spec.output.filter}[out]`);
  return [
    ...head,
    graph.join(";"),
    "-map",
    "[out]",
    ...AAC_ENCODER_ARGS,
    "-progress",
    "pipe:1",
    "-f",
    "mp4",
    spec.output.path,
  ];
}

function seconds(value: number): string {
  return String(Number(value.toFixed(6)));
}
