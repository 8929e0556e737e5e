import { resolveFfmpeg } from "../../media/index.ts";
import { probeMedia, runFfmpeg } from "../ffmpeg/index.ts";
import { analysisDecodeArgs } from "../ffmpeg/run-ffmpeg.ts";
import type { SegmentResult } from "../renderer.ts";
import type { Timeline } from "../timeline.ts";
import { type Analysis, analysisLineFilter, parseAnalysis } from "./analysis-parser.ts";
import { AUDIO_ANALYSIS_FILTER, analyseAudio } from "./audio-analysis.ts";
import { buildChecks } from "./qc-checks.ts";
import { expectationsOf } from "./qc-expectations.ts";
import type { QcReport, TimeRange } from "./qc-report.ts";
import { mergeRanges } from "./ranges.ts";

/** Options of {@link qc}. */
export interface QcOptions {
  /** @defaultValue the binaries `resolveFfmpeg()` finds */
  readonly ffmpegPath?: string | undefined;
  readonly ffprobePath?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * The segments the file was assembled from (`RenderResult.segments`), with the analysis made while
   * encoding them: black stretches and errors then come from them, and only the audio is decoded.
   * Without them (or when one lacks its analysis, or they do not add up to the file's length) the
   * whole file is decoded.
   */
  readonly segments?: readonly SegmentResult[] | undefined;
  /**
   * The audio analysis the renderer made of the file's audio track (`RenderResult.audioAnalysis`):
   * with trusted `segments`, QC then decodes nothing at all.
   */
  readonly audio?: Analysis | undefined;
}

/**
 * Checks a rendered file against its timeline: streams, codec, size, fps, duration (±1 frame), EBU
 * R128 loudness (±1 LU) and true peak, black and silent stretches, caption range and coverage, and a
 * clean decode. With `segments`, black stretches and errors come from the segments' analyses (shifted
 * to their start times and joined across cuts) and one audio-only pass measures loudness, peak and
 * silence; otherwise one pass decodes the whole file (blackdetect, ebur128, silencedetect). Without a
 * timeline only the timeline-free checks run. Narration lengths are measured with ffprobe when the
 * narration files are readable.
 */
export async function qc(file: string, timeline?: Timeline, options: QcOptions = {}): Promise<QcReport> {
  const resolved =
    options.ffmpegPath && options.ffprobePath
      ? { ffmpeg: options.ffmpegPath, ffprobe: options.ffprobePath }
      : await resolveFfmpeg().then((binaries) => ({
          ffmpeg: options.ffmpegPath ?? binaries.ffmpeg.path,
          ffprobe: options.ffprobePath ?? binaries.ffprobe.path,
        }));
  const probe = await probeMedia(resolved.ffprobe, file, options.signal);
  const expected = timeline
    ? expectationsOf(timeline, await narrationLengths(timeline, resolved.ffprobe))
    : undefined;
  const ceiling = expected?.truePeakCeiling ?? -1;
  const hasAudio = probe.streams.some((stream) => stream.type === "audio");
  const hasVideo = probe.streams.some((stream) => stream.type === "video");
  const segments = options.segments;
  // Segments that do not add up to this file (another render's, or analyses missing) are not trusted.
  const covered = segments?.reduce((sum, segment) => sum + segment.duration, 0) ?? 0;
  const analysed =
    segments !== undefined &&
    segments.length > 0 &&
    segments.every((segment) => segment.analysis) &&
    Math.abs(covered - probe.duration) < 0.1;
  let analysis: Analysis = parseAnalysis("", probe.duration);
  if (analysed && hasAudio && options.audio) {
    // The renderer already measured this file's audio track while the segments were encoding.
    analysis = options.audio;
  } else if (analysed && hasAudio) {
    analysis = await analyseAudio(resolved.ffmpeg, file, {
      ceiling,
      duration: probe.duration,
      signal: options.signal,
    });
  } else if (!analysed) {
    // One pass over the whole file: pictures and sound.
    const graph = [
      hasVideo ? "[0:v]blackdetect=d=2:pix_th=0.10[v]" : undefined,
      hasAudio ? `[0:a]${AUDIO_ANALYSIS_FILTER}[a]` : undefined,
    ].filter((part) => part !== undefined);
    const maps = graph.flatMap((part) => ["-map", part.slice(part.lastIndexOf("["))]);
    const { stderr } = await runFfmpeg(
      resolved.ffmpeg,
      analysisDecodeArgs(file, graph.length > 0 ? ["-filter_complex", graph.join(";"), ...maps] : []),
      { label: `qc ${file}`, signal: options.signal, keepStderrLine: analysisLineFilter(ceiling) },
    );
    analysis = parseAnalysis(stderr, probe.duration);
  }
  if (analysed) {
    const findings = segmentFindings(segments);
    // Decode errors of the audio pass count as much as the segments' own.
    analysis = { ...analysis, black: findings.black, errors: [...analysis.errors, ...findings.errors] };
  }
  const checks = buildChecks(probe, analysis, expected);
  return { file, passed: checks.every((check) => check.passed), checks };
}

/**
 * Black stretches and errors of the whole video from its segments' analyses: each segment's ranges
 * moved to where it starts (the segments play one after the other), and ranges that meet at a cut
 * joined, so black running across segments is one stretch.
 */
function segmentFindings(segments: readonly SegmentResult[]): Pick<Analysis, "black" | "errors"> {
  const ordered = [...segments].sort((a, b) => a.index - b.index);
  const black: TimeRange[] = [];
  const errors: string[] = [];
  let start = 0;
  for (const segment of ordered) {
    for (const range of segment.analysis.black) {
      // A hair longer, so float sums of segment lengths cannot leave a gap at a cut.
      black.push({ start: start + range.start, end: start + range.end + 1e-6 });
    }
    errors.push(...segment.analysis.errors.map((line) => `${segment.clipId}: ${line}`));
    start += segment.duration;
  }
  return {
    black: mergeRanges(black).map((range) => ({ start: range.start, end: range.end - 1e-6 })),
    errors,
  };
}

/** How long each clip's narration plays (its `length`, or the file from `from` to its end). */
async function narrationLengths(timeline: Timeline, ffprobe: string): Promise<Map<string, number>> {
  const lengths = new Map<string, number>();
  await Promise.all(
    timeline.clips.map(async (clip) => {
      const narration = clip.narration;
      if (!narration) return;
      const from = narration.from ?? 0;
      try {
        const media = await probeMedia(ffprobe, narration.path);
        if (Number.isFinite(media.duration))
          lengths.set(clip.id, Math.min(narration.length ?? Number.POSITIVE_INFINITY, media.duration - from));
      } catch {
        // Unreadable narration: QC then assumes it runs to the end of its clip.
      }
    }),
  );
  return lengths;
}
