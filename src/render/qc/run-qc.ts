import { resolveFfmpeg } from "../../media/index.ts";
import { probeMedia, runFfmpeg } from "../ffmpeg/index.ts";
import type { Timeline } from "../timeline.ts";
import { analysisLineFilter, parseAnalysis } from "./analysis-parser.ts";
import { buildChecks } from "./qc-checks.ts";
import { expectationsOf } from "./qc-expectations.ts";
import type { QcReport } from "./qc-report.ts";

/** Options of {@link qc}. */
export interface QcOptions {
  /** @defaultValue the binaries `resolveFfmpeg()` finds */
  readonly ffmpegPath?: string | undefined;
  readonly ffprobePath?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Checks a rendered file against its timeline in one probe and one decoding pass: streams, codec,
 * size, fps, duration (±1 frame), EBU R128 loudness (±1 LU) and true peak, black and silent
 * stretches (blackdetect, silencedetect), caption range and coverage, and a clean decode. Without a
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
  const graph = [
    hasVideo ? "[0:v]blackdetect=d=2:pix_th=0.10[v]" : undefined,
    hasAudio ? "[0:a]ebur128=peak=true,silencedetect=n=-50dB:d=3[a]" : undefined,
  ].filter((part) => part !== undefined);
  const maps = [...(hasVideo ? ["-map", "[v]"] : []), ...(hasAudio ? ["-map", "[a]"] : [])];
  const { stderr } = await runFfmpeg(
    resolved.ffmpeg,
    [
      "-hide_banner",
      "-nostdin",
      "-nostats",
      "-loglevel",
      "level+info",
      "-i",
      file,
      ...(graph.length > 0 ? ["-filter_complex", graph.join(";"), ...maps] : []),
      "-f",
      "null",
      "-",
    ],
    { label: `qc ${file}`, signal: options.signal, keepStderrLine: analysisLineFilter(ceiling) },
  );
  const analysis = parseAnalysis(stderr, probe.duration);
  const checks = buildChecks(probe, analysis, expected);
  return { file, passed: checks.every((check) => check.passed), checks };
}

async function narrationLengths(timeline: Timeline, ffprobe: string): Promise<Map<string, number>> {
  const lengths = new Map<string, number>();
  await Promise.all(
    timeline.clips.map(async (clip) => {
      if (!clip.narration) return;
      try {
        const media = await probeMedia(ffprobe, clip.narration.path);
        if (Number.isFinite(media.duration)) lengths.set(clip.id, media.duration);
      } catch {
        // Unreadable narration: QC then assumes it runs to the end of its clip.
      }
    }),
  );
  return lengths;
}
