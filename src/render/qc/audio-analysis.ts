import { analysisDecodeArgs, runFfmpeg } from "../ffmpeg/run-ffmpeg.ts";
import { type Analysis, analysisLineFilter, parseAnalysis } from "./analysis-parser.ts";

/** Level under which QC counts audio as silence. */
export const SILENCE_LEVEL = "-50dB";
/** Shortest silence QC reports, seconds. */
export const SILENCE_SECONDS = 3;

/** QC's audio filters: EBU R128 loudness with true peak, and silences of 3 s or more. */
export const AUDIO_ANALYSIS_FILTER = `ebur128=peak=true,silencedetect=n=${SILENCE_LEVEL}:d=${SILENCE_SECONDS}`;

/** Options of {@link analyseAudio}. */
export interface AudioAnalysisOptions {
  /** True peak ceiling, dBTP: ebur128 frames over it are kept to locate clipping. */
  readonly ceiling: number;
  /** Seconds of the file, for a silence that runs to its end. */
  readonly duration: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * QC's audio pass on its own: EBU R128 loudness and true peak (ebur128) and silences (silencedetect)
 * of the first audio stream of `file`, without decoding any video. The renderer runs it on the finished
 * audio track while the segments are still encoding; `qc` runs it on the MP4 otherwise.
 */
export async function analyseAudio(
  ffmpegPath: string,
  file: string,
  options: AudioAnalysisOptions,
): Promise<Analysis> {
  const { stderr } = await runFfmpeg(
    ffmpegPath,
    analysisDecodeArgs(file, ["-vn", "-filter_complex", `[0:a]${AUDIO_ANALYSIS_FILTER}[a]`, "-map", "[a]"]),
    {
      label: `audio qc ${file}`,
      signal: options.signal,
      keepStderrLine: analysisLineFilter(options.ceiling),
    },
  );
  return parseAnalysis(stderr, options.duration);
}
