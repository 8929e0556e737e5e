import type { Analysis } from "./qc/analysis-parser.ts";
import type { Timeline } from "./timeline.ts";

/** Which step of a render is running. */
export type RenderStage = "validate" | "segments" | "audio" | "assemble" | "thumbnail";

/** One progress report during a render. */
export interface RenderProgress {
  readonly stage: RenderStage;
  /** 0..100 over the whole render. */
  readonly percent: number;
  /** Seconds left, estimated from the speed so far; undefined until it can be guessed. */
  readonly etaSeconds: number | undefined;
}

/** Options of {@link Renderer.render}. */
export interface RenderOptions {
  readonly onProgress?: ((progress: RenderProgress) => void) | undefined;
  /** Aborting kills the running FFmpeg process and removes partial files. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * What encoding a segment found, kept with it so QC need not decode the video again. Plain JSON:
 * segments rendered on other machines travel with it.
 */
export interface SegmentAnalysis {
  /** Black stretches (any length), seconds from the segment's start; a run ends where its last frame ends. */
  readonly black: readonly { readonly start: number; readonly end: number }[];
  /** Error lines FFmpeg printed while decoding the sources and encoding the segment. */
  readonly errors: readonly string[];
}

/** One rendered scene segment (video only, identical codec parameters across segments). */
export interface SegmentResult {
  readonly index: number;
  readonly clipId: string;
  /** Cache key: hash of the timeline fragment, asset content hashes and renderer version. */
  readonly key: string;
  readonly path: string;
  /** Seconds of video in the segment. */
  readonly duration: number;
  /** True when the segment came from the cache instead of FFmpeg. */
  readonly reused: boolean;
  /** Black stretches and errors found while encoding (stored with the cached segment). */
  readonly analysis: SegmentAnalysis;
}

/** What a finished render produced. */
export interface RenderResult {
  readonly outputPath: string;
  readonly srtPath: string;
  readonly vttPath: string;
  readonly thumbnailPath: string;
  /** Seconds. */
  readonly duration: number;
  readonly segments: readonly SegmentResult[];
  /** Clip ids whose segment FFmpeg encoded in this render. */
  readonly rendered: readonly string[];
  /** Clip ids whose segment came from the cache. */
  readonly reused: readonly string[];
  /** True when the mixed, normalized audio track came from the cache (no narration or music changed). */
  readonly audioReused: boolean;
  /** QC's audio analysis of the finished track (loudness, true peak, silences), for `qc(…, { audio })`. */
  readonly audioAnalysis?: Analysis | undefined;
}

/** Options of {@link Renderer.assemble}. */
export interface AssembleOptions extends RenderOptions {}

/**
 * Turns a timeline into a finished MP4. `render` does everything; `renderSegment` and `assemble` are its
 * two halves, for callers that spread segments over workers.
 */
export interface Renderer {
  /** Engine name, e.g. "ffmpeg". */
  readonly engine: string;
  /** Renders the whole timeline to `outputPath` (plus .srt, .vtt and .jpg beside it). */
  render(timeline: Timeline, outputPath: string, options?: RenderOptions): Promise<RenderResult>;
  /** Renders (or fetches from the cache) the segment of clip `index`. */
  renderSegment(timeline: Timeline, index: number, options?: RenderOptions): Promise<SegmentResult>;
  /** Joins rendered segments, mixes and normalizes the audio, writes chapters, sidecars and thumbnail. */
  assemble(
    timeline: Timeline,
    segments: readonly SegmentResult[],
    outputPath: string,
    options?: AssembleOptions,
  ): Promise<RenderResult>;
}
