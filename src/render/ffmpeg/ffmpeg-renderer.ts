import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { isLitinkError, LitinkError } from "../../errors/index.ts";
import { createSilentLogger, type Logger } from "../../logging/index.ts";
import { type FfmpegBinaries, type ResolveFfmpegOptions, resolveFfmpeg } from "../../media/index.ts";
import { writeAss, writeSrt, writeVtt } from "../captions/index.ts";
import { parseTimeline } from "../parse-timeline.ts";
import type { Analysis } from "../qc/analysis-parser.ts";
import { analyseAudio } from "../qc/audio-analysis.ts";
import { truePeakCeiling } from "../qc/qc-expectations.ts";
import type {
  AssembleOptions,
  Renderer,
  RenderOptions,
  RenderProgress,
  RenderResult,
  RenderStage,
  SegmentResult,
} from "../renderer.ts";
import type { Clip, Overlay, Timeline } from "../timeline.ts";
import { layoutTimeline, type SegmentPlan, type TimelineLayout } from "../timeline-layout.ts";
import {
  buildAssembleCommand,
  buildThumbnailCommand,
  chaptersMetadata,
  concatList,
} from "./assemble-command.ts";
import { type AudioTrack, renderAudioTrack } from "./audio-track.ts";
import { estimateProgress } from "./ffmpeg-progress.ts";
import { bundledFontsFolder } from "./fonts-folder.ts";
import { mapWithConcurrency } from "./map-with-concurrency.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { analyseSegmentFile, createSegmentAnalyser } from "./segment-analysis.ts";
import { createAssetHasher, SegmentCache, segmentKey } from "./segment-cache.ts";
import { buildSegmentCommand } from "./segment-command.ts";
import { validateAssets } from "./validate-assets.ts";

/** Options of {@link createFfmpegRenderer}. */
export interface FfmpegRendererOptions {
  /** FFmpeg and ffprobe to use; @defaultValue `resolveFfmpeg(locate)` */
  readonly binaries?: FfmpegBinaries | undefined;
  /** Where to look for them when `binaries` is not given (`FFMPEG_PATH`, `FFPROBE_PATH` from the config). */
  readonly locate?: ResolveFfmpegOptions | undefined;
  /** Folder of the segment cache and of temporary work folders. */
  readonly cacheDir: string;
  readonly logger?: Logger | undefined;
  /** Segments rendered at once. @defaultValue the CPU count, at most 4 */
  readonly concurrency?: number | undefined;
}

/**
 * Creates the FFmpeg {@link Renderer}: each clip renders to its own cached segment (in parallel up to
 * `concurrency`, each analysed for QC as it is encoded), the audio is made from cached per-segment
 * chunks and loudness-normalized in one final pass, the segments are joined without re-encoding, and
 * chapters, sidecar captions and a thumbnail are written.
 */
export function createFfmpegRenderer(options: FfmpegRendererOptions): Renderer {
  return new FfmpegRenderer(options);
}

/** Share of the progress bar each stage takes when every segment must be rendered. */
const SEGMENT_SHARE = 0.85;

class FfmpegRenderer implements Renderer {
  readonly engine = "ffmpeg";
  readonly #options: FfmpegRendererOptions;
  readonly #logger: Logger;
  readonly #cache: SegmentCache;
  readonly #hash = createAssetHasher();
  readonly #fontsDir = bundledFontsFolder();
  #binaries: Promise<FfmpegBinaries> | undefined;

  constructor(options: FfmpegRendererOptions) {
    this.#options = options;
    this.#logger = options.logger ?? createSilentLogger();
    this.#cache = new SegmentCache(options.cacheDir);
  }

  async render(input: Timeline, outputPath: string, options: RenderOptions = {}): Promise<RenderResult> {
    // Callers may hand over a schema-parsed timeline: run the cross-field checks here too.
    const timeline = parseTimeline(input);
    const started = Date.now();
    const report = progressReporter(options.onProgress, started);
    report("validate", 0);
    const binaries = await this.#resolve();
    await validateAssets(timeline, binaries.ffprobe.path);
    const layout = layoutTimeline(timeline);
    const done = new Array<number>(layout.segments.length).fill(0);
    const reportSegments = (): void => {
      const fraction = done.reduce(
        (sum, value, index) => sum + value * (layout.segments[index]?.frames ?? 0),
        0,
      );
      report("segments", (SEGMENT_SHARE * fraction) / layout.totalFrames);
    };
    // One failure (or the caller's abort) stops every FFmpeg process of this render.
    const controller = new AbortController();
    const abort = (): void => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    const signal = controller.signal;
    // The audio track does not depend on the pictures: make it while the segments render.
    const audio = renderAudioTrack(timeline, layout, {
      ffmpegPath: binaries.ffmpeg.path,
      ffprobePath: binaries.ffprobe.path,
      ffmpegVersion: binaries.ffmpeg.version,
      cacheDir: this.#options.cacheDir,
      hash: this.#hash,
      signal,
    });
    audio.catch(() => controller.abort());
    // QC's audio pass on the finished track, also while the segments render (cached with the track).
    const audioAnalysis = audio.then((track) =>
      this.#trackAnalysis(track, timeline, layout, binaries, signal),
    );
    audioAnalysis.catch(() => undefined);
    let result: RenderResult;
    try {
      const segments = await mapWithConcurrency(layout.segments, this.#concurrency(), (plan) =>
        this.#segment(timeline, layout, plan, binaries, {
          signal,
          onFraction: (fraction) => {
            done[plan.index] = fraction;
            reportSegments();
          },
        }),
      ).catch(async (error: unknown) => {
        controller.abort();
        const audioError: unknown = await audio.then(
          () => undefined,
          (failure: unknown) => failure,
        );
        // When the audio failed first, the segments only report that they were stopped: name the cause.
        const stoppedByAudio = isLitinkError(error, "render.aborted") && !options.signal?.aborted;
        throw stoppedByAudio && audioError ? audioError : error;
      });
      result = await this.assemble(timeline, segments, outputPath, {
        signal,
        audio,
        audioAnalysis,
        onProgress: (progress) =>
          report(progress.stage, SEGMENT_SHARE + ((1 - SEGMENT_SHARE) * progress.percent) / 100),
      });
    } finally {
      options.signal?.removeEventListener("abort", abort);
    }
    this.#logger.info(
      {
        outputPath,
        rendered: result.rendered.length,
        reused: result.reused.length,
        ms: Date.now() - started,
      },
      "render finished",
    );
    return result;
  }

  async renderSegment(
    timeline: Timeline,
    index: number,
    options: RenderOptions = {},
  ): Promise<SegmentResult> {
    const layout = layoutTimeline(timeline);
    const plan = layout.segments[index];
    if (!plan) {
      throw new LitinkError(
        "render.no_such_segment",
        `segment ${index} does not exist: the timeline has ${layout.segments.length} clips`,
        {
          userFacing: true,
        },
      );
    }
    const binaries = await this.#resolve();
    await validateAssets(segmentOnly(timeline, plan), binaries.ffprobe.path, { skipAudio: true });
    const report = progressReporter(options.onProgress, Date.now());
    return this.#segment(timeline, layout, plan, binaries, {
      signal: options.signal,
      onFraction: (fraction) => report("segments", fraction),
    });
  }

  async assemble(
    timeline: Timeline,
    segments: readonly SegmentResult[],
    outputPath: string,
    options: AssembleOptions & {
      readonly audio?: Promise<AudioTrack>;
      readonly audioAnalysis?: Promise<Analysis>;
    } = {},
  ): Promise<RenderResult> {
    const { signal } = options;
    const report = progressReporter(options.onProgress, Date.now());
    const binaries = await this.#resolve();
    const layout = layoutTimeline(timeline);
    if (segments.length !== layout.segments.length) {
      throw new LitinkError(
        "render.segments_mismatch",
        `assemble got ${segments.length} segments for a timeline of ${layout.segments.length} clips`,
      );
    }
    const ordered = [...segments].sort((a, b) => a.index - b.index);
    const ffmpeg = binaries.ffmpeg.path;
    const sidecar = (extension: string): string => outputPath.replace(/\.[^./\\]+$/, "") + extension;
    const srtPath = sidecar(".srt");
    const vttPath = sidecar(".vtt");
    const thumbnailPath = sidecar(".jpg");
    await mkdir(path.dirname(path.resolve(outputPath)), { recursive: true });
    await mkdir(this.#options.cacheDir, { recursive: true });
    const workDir = await mkdtemp(path.join(this.#options.cacheDir, "assemble-"));
    const partial = `${outputPath}.partial.mp4`;
    let audioReused = false;
    let audioAnalysis: Promise<Analysis> | undefined;
    try {
      const cues = timeline.captions?.cues ?? [];
      await Promise.all([writeFile(srtPath, writeSrt(cues)), writeFile(vttPath, writeVtt(cues))]);
      const audio = await (options.audio ??
        renderAudioTrack(timeline, layout, {
          ffmpegPath: ffmpeg,
          ffprobePath: binaries.ffprobe.path,
          ffmpegVersion: binaries.ffmpeg.version,
          cacheDir: this.#options.cacheDir,
          hash: this.#hash,
          signal,
          onFraction: (fraction) => report("audio", 0.6 * fraction),
        }));
      report("audio", 0.6);
      audioReused = audio.reused;
      audioAnalysis = options.audioAnalysis ?? this.#trackAnalysis(audio, timeline, layout, binaries, signal);
      audioAnalysis.catch(() => undefined);
      const listPath = path.join(workDir, "segments.ffconcat");
      await writeFile(listPath, concatList(ordered.map((segment) => path.resolve(segment.path))));
      let chaptersPath: string | undefined;
      if (timeline.chapters.length > 0) {
        chaptersPath = path.join(workDir, "chapters.txt");
        await writeFile(chaptersPath, chaptersMetadata(timeline.chapters, layout.duration));
      }
      await runFfmpeg(
        ffmpeg,
        buildAssembleCommand({
          concatListPath: listPath,
          audioPath: audio.path,
          chaptersPath,
          duration: layout.duration,
          outputPath: partial,
        }),
        {
          signal,
          label: "assemble",
          outputs: [partial],
          onProgress: (block) => report("assemble", 0.6 + (0.35 * block.outTime) / layout.duration),
        },
      );
      await rename(partial, outputPath);
      const thumbnailAt = timeline.thumbnailAt ?? layout.duration / 3;
      await runFfmpeg(ffmpeg, buildThumbnailCommand(outputPath, thumbnailAt, thumbnailPath), {
        signal,
        label: "thumbnail",
        outputs: [thumbnailPath],
      });
      report("thumbnail", 1);
    } catch (error) {
      await Promise.all([
        rm(partial, { force: true }),
        signal?.aborted ? rm(outputPath, { force: true }) : undefined,
      ]);
      throw error;
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    return {
      outputPath,
      srtPath,
      vttPath,
      thumbnailPath,
      duration: layout.duration,
      segments: ordered,
      rendered: ordered.filter((segment) => !segment.reused).map((segment) => segment.clipId),
      reused: ordered.filter((segment) => segment.reused).map((segment) => segment.clipId),
      audioReused,
      audioAnalysis: await audioAnalysis,
    };
  }

  /** QC's audio analysis of a finished track, kept beside it in the cache (`<key>.qc.json`). */
  async #trackAnalysis(
    track: AudioTrack,
    timeline: Timeline,
    layout: TimelineLayout,
    binaries: FfmpegBinaries,
    signal: AbortSignal | undefined,
  ): Promise<Analysis> {
    const stored = `${track.path.replace(/\.m4a$/, "")}.qc.json`;
    try {
      return JSON.parse(await readFile(stored, "utf8")) as Analysis;
    } catch {
      // Not analysed yet (or unreadable): measure it again.
    }
    const analysis = await analyseAudio(binaries.ffmpeg.path, track.path, {
      ceiling: truePeakCeiling(timeline),
      duration: layout.duration,
      signal,
    });
    const partial = `${stored}.${process.pid}.${Date.now()}.partial`;
    await writeFile(partial, JSON.stringify(analysis));
    await rename(partial, stored);
    return analysis;
  }

  async #segment(
    timeline: Timeline,
    layout: TimelineLayout,
    plan: SegmentPlan,
    binaries: FfmpegBinaries,
    options: { signal?: AbortSignal | undefined; onFraction: (fraction: number) => void },
  ): Promise<SegmentResult> {
    const { width, height } = timeline.output;
    const captions = timeline.captions;
    const ass =
      captions?.burnIn &&
      captions.cues.some((cue) => cue.end > plan.start && cue.start < plan.start + plan.duration)
        ? writeAss(captions.cues, {
            width,
            height,
            style: captions.style,
            shift: plan.start,
            until: plan.duration,
          })
        : undefined;
    const fragment = {
      output: { width, height, fps: layout.fps, quality: timeline.output.quality },
      plan: {
        frames: plan.frames,
        clipFrames: plan.clipFrames,
        crossfadeFrames: plan.crossfadeFrames,
        // The previous clip's length matters only when this segment carries its tail (a crossfade);
        // otherwise an earlier scene changing length must not invalidate this segment.
        previousFrames: plan.crossfadeFrames > 0 ? plan.previousFrames : 0,
        fadeInFrames: plan.fadeInFrames,
        fadeOutFrames: plan.fadeOutFrames,
      },
      clip: await this.#clipFragment(plan.clip),
      previous: plan.previous ? await this.#clipFragment(plan.previous) : undefined,
      watermark: await this.#overlayFragment(timeline.watermark),
      logo: await this.#overlayFragment(timeline.logo),
      ass,
    };
    const key = segmentKey(fragment, binaries.ffmpeg.version);
    const base = { index: plan.index, clipId: plan.clip.id, key, duration: plan.duration };
    if (await this.#cache.has(key)) {
      const cached = this.#cache.pathOf(key);
      let analysis = await this.#cache.analysisOf(key);
      if (!analysis) {
        analysis = await analyseSegmentFile(binaries.ffmpeg.path, cached, layout.fps, options.signal);
        await this.#cache.storeAnalysis(key, analysis);
      }
      options.onFraction(1);
      return { ...base, path: cached, reused: true, analysis };
    }
    const temporary = await this.#cache.temporaryPath(key);
    const workDir = await mkdtemp(path.join(os.tmpdir(), "litink-segment-"));
    try {
      const command = buildSegmentCommand({
        plan,
        output: timeline.output,
        watermark: timeline.watermark,
        logo: timeline.logo,
        ass,
        fontsDir: this.#fontsDir,
        workDir,
        outputPath: temporary,
      });
      await Promise.all(command.files.map((file) => writeFile(file.path, file.content)));
      const analyser = createSegmentAnalyser(layout.fps);
      await runFfmpeg(binaries.ffmpeg.path, command.args, {
        signal: options.signal,
        label: `segment ${plan.index} (${plan.clip.id})`,
        outputs: [temporary],
        onProgress: (block) => options.onFraction(Math.min(1, (block.frame ?? 0) / plan.frames)),
        onStderrLine: analyser.onLine,
        keepStderrLine: analyser.keep,
      });
      const analysis = analyser.result();
      // The analysis first: a segment in the cache always has its analysis beside it.
      await this.#cache.storeAnalysis(key, analysis);
      const stored = await this.#cache.store(key, temporary);
      options.onFraction(1);
      return { ...base, path: stored, reused: false, analysis };
    } finally {
      await Promise.all([rm(workDir, { recursive: true, force: true }), rm(temporary, { force: true })]);
    }
  }

  /** The clip as the cache sees it: no narration (audio is mixed later), files as content hashes. */
  async #clipFragment(clip: Clip): Promise<unknown> {
    const { narration: _narration, transitionIn: _transition, ...visual } = clip;
    if (visual.type === "image" || visual.type === "video") {
      return { ...visual, path: await this.#hash(visual.path) };
    }
    return visual;
  }

  async #overlayFragment(overlay: Overlay | undefined): Promise<unknown> {
    if (overlay?.type !== "image") return overlay;
    return { ...overlay, path: await this.#hash(overlay.path) };
  }

  #resolve(): Promise<FfmpegBinaries> {
    this.#binaries ??= this.#options.binaries
      ? Promise.resolve(this.#options.binaries)
      : resolveFfmpeg(this.#options.locate);
    return this.#binaries;
  }

  #concurrency(): number {
    return Math.max(1, this.#options.concurrency ?? Math.min(4, os.availableParallelism()));
  }
}

/** The timeline reduced to what one segment reads, for validating only that segment's assets. */
function segmentOnly(timeline: Timeline, plan: SegmentPlan): Timeline {
  return {
    ...timeline,
    clips: plan.previous ? [plan.previous, plan.clip] : [plan.clip],
    music: undefined,
  };
}

function progressReporter(
  onProgress: ((progress: RenderProgress) => void) | undefined,
  started: number,
): (stage: RenderStage, fraction: number) => void {
  let last = -1;
  return (stage, fraction) => {
    if (!onProgress) return;
    const { percent, etaSeconds } = estimateProgress(fraction, (Date.now() - started) / 1000);
    if (percent === last && stage !== "thumbnail") return;
    last = percent;
    onProgress({ stage, percent, etaSeconds });
  };
}
