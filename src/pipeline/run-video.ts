import { createReadStream } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { LitinkError } from "../errors/index.ts";
import type { Chapter, Document } from "../ingest/index.ts";
import { ingestFile } from "../ingest/index.ts";
import { formatDecimal, type Micros, parseUsd, sumMicros } from "../money/index.ts";
import {
  outputSize,
  type QcReport,
  qc,
  RESOLUTION_CAPS,
  type RenderProgress,
  TimelineSchema,
} from "../render/index.ts";
import { estimateBeatsSeconds } from "../script/index.ts";
import { AssetCache, type CachedAsset } from "./asset-cache.ts";
import { buildTimeline, type TimelineScene } from "./build-timeline.ts";
import { estimateSeconds, estimateVideo, type VideoEstimate } from "./estimate.ts";
import type {
  CostLine,
  PipelineEvent,
  PipelineResources,
  RunContext,
  StageName,
  VideoRequest,
} from "./pipeline-types.ts";
import { buildReceipt, type Receipt } from "./receipt.ts";
import { SceneCosts } from "./scene-jobs.ts";
import { screenplayToScript } from "./screenplay-script.ts";
import { renderOnWorkers } from "./segment-jobs.ts";
import { selectChapters } from "./select-chapters.ts";
import { runAudioGeneration } from "./stages/audio-generation.ts";
import { runImageGeneration } from "./stages/image-generation.ts";
import { runLipSync } from "./stages/lip-sync.ts";
import { breakDownScenes } from "./stages/scene-breakdown.ts";
import { runScriptGeneration } from "./stages/script-generation.ts";
import { runVideoGeneration } from "./stages/video-generation.ts";
import type { TaskCost } from "./task-context.ts";
import { applyTierRules, type TierDecision } from "./tier-rules.ts";
import { castClonedVoices, checkVoiceCloning } from "./voice-clone.ts";

/** Options of {@link runVideo}. */
export interface RunVideoOptions {
  readonly onEvent?: ((event: PipelineEvent) => void) | undefined;
  /** Ctrl-C: stops the job; the same request resumes from the cache. */
  readonly signal?: AbortSignal | undefined;
  /**
   * A `videos` row created before (a submission queued as `pipeline.video`) that this run works for,
   * instead of inserting a new one. @defaultValue a new row
   */
  readonly videoId?: string | undefined;
  /**
   * Whether the queue will run the job again after this failure (a queued video job with attempts
   * left): the row then goes back to `queued` instead of `failed`, so `litink status --follow` waits for
   * the retry instead of reporting a failure that is not final. @defaultValue never
   */
  readonly willRetry?: ((error: unknown) => boolean) | undefined;
}

/** What a finished job produced. */
export interface VideoResult {
  readonly videoId: string;
  readonly outputPath: string;
  readonly srtPath: string;
  readonly vttPath: string;
  readonly scriptPath: string;
  readonly receiptPath: string;
  readonly qcPath: string;
  readonly durationSeconds: number;
  readonly scenes: number;
  /** Peak resident memory of this process so far, in MiB (FFmpeg children not included). */
  readonly peakRssMb: number;
  /** Timeline clip ids whose segment was encoded by this run, and those reused from the render cache. */
  readonly segmentsRendered: readonly string[];
  readonly segmentsReused: readonly string[];
  readonly receipt: Receipt;
  readonly qc: QcReport;
  readonly notices: readonly string[];
}

/** What `--estimate` returns. */
export interface EstimateResult extends VideoEstimate {
  readonly title: string;
  readonly tier: string;
  readonly decision: TierDecision;
}

/** Reads the source and works out chapters, length and the tier's decision, without spending anything. */
async function prepare(
  resources: PipelineResources,
  request: VideoRequest,
  signal: AbortSignal | undefined,
  forEstimate = false,
) {
  const document = await ingestFile(request.sourcePath, {
    maxBytes: resources.config.limits.maxUploadBytes,
    signal,
  });
  const chapters: Chapter[] = document.kind === "book" ? selectChapters(document, request.chapters) : [];
  const screenplay = document.kind === "screenplay" ? screenplayToScript(document) : undefined;
  const seconds = screenplay
    ? 3 + screenplay.scenes.reduce((total, scene) => total + estimateBeatsSeconds(scene.beats), 0)
    : estimateSeconds(chapters);
  const tier = resources.config.tiers[request.tier];
  const rules = {
    tierName: request.tier,
    tiers: resources.config.tiers,
    estimatedSeconds: seconds,
    trim: request.trim ?? false,
    resolution: request.resolution,
    modelOverrides: request.modelOverrides,
    voiceCloning: (request.voiceClones?.length ?? 0) > 0,
  };
  let decision: TierDecision;
  try {
    decision = applyTierRules(rules);
  } catch (error) {
    // An estimate still prices the whole request, and says the render itself would be refused.
    if (!forEstimate || !(error instanceof LitinkError) || error.code !== "tier.duration_exceeded")
      throw error;
    const allowed = applyTierRules({ ...rules, trim: true });
    decision = {
      ...allowed,
      trimToSeconds: undefined,
      notices: [`a render would be refused: ${error.message}`],
    };
  }
  const voiceClones = await checkVoiceCloning(resources, request, signal);
  return { document, chapters, screenplay, seconds, tier, decision, voiceClones };
}

/** `--estimate`: the expected cost per stage and in total, and the expected length, before any spend. */
export async function estimateRequest(
  resources: PipelineResources,
  request: VideoRequest,
): Promise<EstimateResult> {
  const { document, chapters, screenplay, decision, tier } = await prepare(
    resources,
    request,
    undefined,
    true,
  );
  const scriptChapters = !screenplay
    ? chapters
    : [
        {
          ordinal: 1,
          title: document.metadata.title,
          label: null,
          part: null,
          matter: "body" as const,
          paragraphs: screenplay.scenes.flatMap((scene) => scene.beats.map((beat) => beat.text)),
          words: 0,
        },
      ];
  const estimate = estimateVideo(
    { tierName: request.tier, tier, request, router: resources.router },
    scriptChapters,
    {
      screenplay: document.kind === "screenplay",
      imageToVideo:
        tier.imageToVideo && resources.router.resolveChain("video", request.tier).usable.length > 0,
    },
  );
  const seconds =
    decision.trimToSeconds === undefined
      ? estimate.seconds
      : Math.min(estimate.seconds, decision.trimToSeconds);
  return { ...estimate, seconds, title: document.metadata.title, tier: tier.name, decision };
}

/**
 * The main job: ingest → script generation → scene breakdown → images, audio, motion, lip sync per
 * scene → post-processing (timeline and render) → quality check → receipt. Every paid result is cached
 * by its inputs first, so a killed job resumes without paying twice and an edit re-generates only what
 * changed.
 */
export async function runVideo(
  resources: PipelineResources,
  request: VideoRequest,
  options: RunVideoOptions = {},
): Promise<VideoResult> {
  const started = Date.now();
  const signal = options.signal;
  // Known once the video's row exists (at once for a queued video); every event then also goes to the
  // event bus.
  let publishedId: string | undefined = options.videoId;
  const emit = (event: Omit<PipelineEvent, "elapsedMs">): void => {
    const elapsedMs = Date.now() - started;
    options.onEvent?.({ ...event, elapsedMs });
    if (publishedId && resources.events) {
      void resources.events.publish({
        videoId: publishedId,
        stage: event.stage,
        status: event.status,
        ...(event.done === undefined ? {} : { done: event.done }),
        ...(event.total === undefined ? {} : { total: event.total }),
        ...(event.message === undefined ? {} : { message: event.message }),
        elapsedMs,
        at: new Date().toISOString(),
      });
    }
  };

  // Stored in job_events once the row is known (a new row is made only after the source is read).
  const ingestEvents: Omit<PipelineEvent, "elapsedMs">[] = [{ stage: "ingest", status: "started" }];
  emit({ stage: "ingest", status: "started" });
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare(resources, request, signal);
  } catch (error) {
    const failed = { stage: "ingest", status: "failed", message: (error as Error).message } as const;
    emit(failed);
    // A queued video's row exists already: it must not stay queued when its job has failed.
    if (options.videoId) {
      for (const event of [...ingestEvents, failed]) await recordEvent(resources, options.videoId, event);
      await settleFailure(resources, options.videoId, error, options);
    }
    throw error;
  }
  const { document, chapters, decision, tier, voiceClones } = prepared;
  const ingested = {
    stage: "ingest",
    status: "succeeded",
    message: `${document.metadata.title} (${document.kind})`,
  } as const;
  ingestEvents.push(ingested);
  emit(ingested);
  for (const notice of decision.notices) emit({ stage: "job", status: "progress", message: notice });

  const sourceId = await recordSource(resources, document, request.sourcePath, request.userId);
  const videoId = options.videoId
    ? await startQueuedVideo(resources, options.videoId, sourceId)
    : (
        await resources.db
          .insertInto("videos")
          .values({
            user_id: request.userId ?? null,
            source_id: sourceId,
            chapters: request.chapters ? `${request.chapters.from}-${request.chapters.to}` : null,
            options: JSON.stringify({ ...request, sourcePath: path.basename(request.sourcePath) }),
            tier_at_time: request.tier,
            status: "running",
            started_at: new Date(),
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
  publishedId = videoId;
  const workDir = path.join(resources.workDir, videoId);
  await mkdir(workDir, { recursive: true });

  // Events are stored one after another, in the order they happened: on a pool of connections two
  // inserts sent at once may land in either order, and `litink status` reads the last one per stage.
  let recorded = Promise.resolve();
  const record = (event: Omit<PipelineEvent, "elapsedMs">, costMicros?: Micros): Promise<void> => {
    recorded = recorded.then(() => recordEvent(resources, videoId, event, costMicros));
    return recorded;
  };
  for (const event of ingestEvents) void record(event);

  const costs: CostLine[] = [];
  // This process's routed calls (script, voice clones), claimed against the ledger as their stage ends.
  const routedCosts: TaskCost[] = [];
  const context: RunContext = {
    resources,
    request,
    videoId,
    userId: request.userId,
    tierName: request.tier,
    tier,
    cache: new AssetCache(resources),
    signal,
    workDir,
    emit: (event) => {
      if (event.status === "skipped") skippedStages.add(event.stage);
      emit(event);
      if (event.status !== "progress") void record(event);
    },
    addCost: (line, inputKey) => {
      if (inputKey === undefined) costs.push(line);
      else routedCosts.push({ line, inputKey });
    },
  };
  // Per-scene work runs as self-contained jobs on the queue: here, or on `litink worker` processes. A
  // cache hit on a call this video paid for in an earlier attempt (a retried detached video) claims the
  // ledger's charge instead of a saving, for the scenes' calls and this process's own alike.
  const sceneCosts = new SceneCosts(context);

  const skippedStages = new Set<string>();
  const stage = async <T>(name: StageName, work: () => Promise<T>): Promise<T> => {
    const before = costs.length;
    context.emit({ stage: name, status: "started" });
    try {
      const result = await work();
      await sceneCosts.add([{ costs: routedCosts.splice(0) }]);
      if (skippedStages.has(name)) return result;
      const spent = sumMicros(costs.slice(before).map((line) => line.costMicros));
      emit({ stage: name, status: "succeeded", message: spent > 0 ? formatDecimal(spent) : undefined });
      await record({ stage: name, status: "succeeded" }, spent);
      return result;
    } catch (error) {
      context.emit({ stage: name, status: "failed", message: (error as Error).message });
      throw error;
    }
  };

  try {
    const scripts = await stage("script_generation", () => runScriptGeneration(context, document, chapters));
    const { scenes, bible } = await stage("scene_breakdown", async () => {
      const cast = await castClonedVoices(context, voiceClones, scripts.bible);
      const scenes = breakDownScenes(scripts.scripts, cast.bible, {
        narratorVoice: cast.narratorVoice ?? request.voice,
        trimToSeconds: decision.trimToSeconds,
      });
      return { scenes, bible: cast.bible };
    });
    if (scenes.length === 0) {
      throw new LitinkError("pipeline.no_scenes", "script generation produced no scenes to render", {
        userFacing: true,
      });
    }
    const size = outputSize(aspectPreset(request.aspect ?? "16:9"), RESOLUTION_CAPS[decision.resolution]);
    const images = await stage("image_generation", () =>
      runImageGeneration(context, sceneCosts, scenes, size),
    );
    const audio = await stage("audio_generation", () => runAudioGeneration(context, sceneCosts, scenes));
    const clips = await stage("video_generation", () =>
      runVideoGeneration(context, sceneCosts, scenes, images, audio),
    );
    const synced = await stage("lip_sync", () =>
      runLipSync(
        context,
        sceneCosts,
        scenes,
        images.map((image, index) => clips[index] ?? image),
        audio,
      ),
    );

    const name = safeName(scripts.title);
    await mkdir(request.outDir, { recursive: true });
    const outputPath = path.join(request.outDir, `${name}.mp4`);
    const { timeline, rendered } = await stage("post_processing", async () => {
      const assetsDir = path.join(resources.workDir, "assets");
      const timelineScenes: TimelineScene[] = await Promise.all(
        scenes.map(async (scene, index) => {
          const moving = synced[index] ?? clips[index];
          return {
            // Not the audio's hash: a scene's shots keep their ids (and segments) when one line changes.
            id: `scene-${scene.ordinal}-${images[index]!.sha256.slice(0, 12)}`,
            chapterOrdinal: scene.chapterOrdinal,
            chapterTitle: scene.chapterTitle,
            imagePath: await context.cache.materialize(images[index]!, assetsDir),
            videoPath: moving ? await context.cache.materialize(moving, assetsDir) : undefined,
            audioPath: await context.cache.materialize(audio[index]!.asset, assetsDir),
            audioSeconds: audio[index]!.duration,
            words: audio[index]!.words,
            beats: audio[index]!.beats,
          };
        }),
      );
      const timeline = TimelineSchema.parse(
        buildTimeline(timelineScenes, {
          title: scripts.title,
          author: document.metadata.author,
          ...size,
          watermark: decision.watermark ? "Made with LitinkAI" : undefined,
          musicPath: request.musicPath,
        }),
      );
      const renderOptions = {
        signal,
        onProgress: (progress: RenderProgress) =>
          context.emit({
            stage: "post_processing",
            status: "progress",
            done: Math.round(progress.percent),
            total: 100,
          }),
      };
      // Embedded: one render overlaps the audio track with the segments. BullMQ: a job per segment
      // spreads them over the workers, and this process assembles.
      const rendered =
        resources.queue.kind === "bullmq"
          ? await renderOnWorkers(
              context,
              timeline,
              [...images, ...clips, ...synced, ...audio.map((track) => track.asset)].filter(
                (asset): asset is CachedAsset => asset !== undefined,
              ),
              outputPath,
              renderOptions,
            )
          : await resources.renderer.render(timeline, outputPath, renderOptions);
      return { timeline, rendered };
    });

    const report = await stage("quality_check", () =>
      qc(outputPath, timeline, {
        signal,
        segments: rendered.segments,
        audio: rendered.audioAnalysis,
        ffmpegPath: resources.config.ffmpeg.ffmpegPath,
        ffprobePath: resources.config.ffmpeg.ffprobePath,
      }),
    );
    const ledger = await resources.db
      .selectFrom("usage_logs")
      .select((eb) => [eb.fn.countAll<number>().as("rows"), eb.fn.sum<string | null>("cost_usd").as("total")])
      .where("job_id", "=", videoId)
      .executeTakeFirstOrThrow();
    const receipt = buildReceipt({
      videoId,
      title: scripts.title,
      tier: tier.name,
      lines: costs,
      ledgerRows: Number(ledger.rows),
      ledgerTotalMicros: ledger.total === null ? 0 : parseUsd(ledger.total),
    });

    const scriptPath = path.join(request.outDir, "script.json");
    const receiptPath = path.join(request.outDir, "receipt.json");
    const qcPath = path.join(request.outDir, "qc.json");
    await writeFile(
      scriptPath,
      `${JSON.stringify({ title: scripts.title, characters: bible.characters, scenes: scenes.map((s) => ({ ...s.scene, ordinal: s.ordinal, chapter: s.chapterOrdinal, voices: s.voices })) }, null, 2)}\n`,
    );
    await writeFile(receiptPath, `${JSON.stringify(receipt, null, 2)}\n`);
    await writeFile(qcPath, `${JSON.stringify(report, null, 2)}\n`);

    const outputKey = `videos/${videoId}/${name}.mp4`;
    await resources.storage.put(outputKey, createReadStream(outputPath), { contentType: "video/mp4" });
    const total: Micros = sumMicros(costs.map((line) => line.costMicros));
    await resources.db
      .updateTable("videos")
      .set({
        status: report.passed || request.allowQcFailures ? "succeeded" : "failed",
        actual_cost_usd: formatDecimal(total),
        output_key: outputKey,
        finished_at: new Date(),
        updated_at: new Date(),
        ...(report.passed
          ? {}
          : {
              error: JSON.stringify({
                code: "pipeline.qc_failed",
                checks: report.checks.filter((c) => !c.passed),
              }),
            }),
      })
      .where("id", "=", videoId)
      .execute();
    await rm(workDir, { recursive: true, force: true });

    const result: VideoResult = {
      videoId,
      outputPath,
      srtPath: rendered.srtPath,
      vttPath: rendered.vttPath,
      scriptPath,
      receiptPath,
      qcPath,
      durationSeconds: rendered.duration,
      scenes: scenes.length,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      segmentsRendered: rendered.rendered,
      segmentsReused: rendered.reused,
      receipt,
      qc: report,
      notices: decision.notices,
    };
    if (!report.passed && !request.allowQcFailures) {
      const failed = report.checks.filter((check) => !check.passed);
      throw new LitinkError(
        "pipeline.qc_failed",
        `the video was made but failed its quality check (${failed
          .map((check) => `${check.name}: ${check.measured}, expected ${check.expected}`)
          .join("; ")}); see ${qcPath}, or pass --allow-qc-failures`,
        { userFacing: true, details: { result } },
      );
    }
    return result;
  } catch (error) {
    if (!(error instanceof LitinkError && error.code === "pipeline.qc_failed")) {
      if ((await settleFailure(resources, videoId, error, options)) === "queued") {
        context.emit({
          stage: "job",
          status: "failed",
          message: `this attempt failed (${(error as Error).message}); the queue runs the video again, reusing every finished scene`,
        });
      }
    }
    throw error;
  } finally {
    // Every event is stored before the run returns: the caller may close the database next, and an
    // insert sent to a closed PGlite never settles.
    await recorded;
  }
}

/**
 * Marks a video whose run failed: `queued` again when the queue will retry it (see
 * {@link RunVideoOptions.willRetry}), `cancelled` when it was stopped, else `failed`, with the error;
 * returns the status it set.
 */
export async function settleFailure(
  resources: PipelineResources,
  videoId: string,
  error: unknown,
  options: RunVideoOptions,
): Promise<"queued" | "cancelled" | "failed"> {
  const retrying = options.willRetry?.(error) ?? false;
  const status = retrying ? "queued" : options.signal?.aborted ? "cancelled" : "failed";
  await resources.db
    .updateTable("videos")
    .set({
      status,
      error: JSON.stringify({
        code: (error as LitinkError).code ?? "internal",
        message: (error as Error).message,
      }),
      finished_at: retrying ? null : new Date(),
      updated_at: new Date(),
    })
    .where("id", "=", videoId)
    .execute()
    .catch((failure: unknown) =>
      resources.logger.warn({ err: failure, videoId }, "could not mark the video failed"),
    );
  return status;
}

/** Marks a video row created at submission as running (again, on a retried job); its id. */
async function startQueuedVideo(
  resources: PipelineResources,
  videoId: string,
  sourceId: string,
): Promise<string> {
  const row = await resources.db
    .updateTable("videos")
    .set({
      source_id: sourceId,
      status: "running",
      error: null,
      started_at: new Date(),
      finished_at: null,
      updated_at: new Date(),
    })
    .where("id", "=", videoId)
    .returning("id")
    .executeTakeFirst();
  if (!row) {
    throw new LitinkError("pipeline.unknown_video", `no video ${videoId} to run: its row is missing`);
  }
  return row.id;
}

/** Reads the source and applies the tier rules as {@link runVideo} does, spending nothing: a submission fails fast. */
export async function checkVideoRequest(
  resources: PipelineResources,
  request: VideoRequest,
): Promise<{ readonly title: string; readonly notices: readonly string[] }> {
  const { document, decision } = await prepare(resources, request, undefined);
  return { title: document.metadata.title, notices: decision.notices };
}

async function recordSource(
  resources: PipelineResources,
  document: Document,
  sourcePath: string,
  userId: string | undefined,
): Promise<string> {
  const existing = await resources.db
    .selectFrom("sources")
    .select("id")
    .where("content_sha256", "=", document.metadata.contentHash)
    .executeTakeFirst();
  if (existing) return existing.id;
  const storageKey = `sources/${document.metadata.contentHash}/${safeName(document.metadata.fileName) || "source"}`;
  await resources.storage.put(storageKey, createReadStream(sourcePath));
  const row = await resources.db
    .insertInto("sources")
    .values({
      user_id: userId ?? null,
      filename: document.metadata.fileName,
      format: document.metadata.format,
      kind: document.kind,
      title: document.metadata.title,
      author: document.metadata.author,
      content_sha256: document.metadata.contentHash,
      storage_key: storageKey,
      bytes: document.metadata.bytes,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function recordEvent(
  resources: PipelineResources,
  videoId: string,
  event: Omit<PipelineEvent, "elapsedMs">,
  costMicros?: Micros,
): Promise<void> {
  await resources.db
    .insertInto("job_events")
    .values({
      video_id: videoId,
      job_id: videoId,
      stage: event.stage,
      event: event.status,
      message: event.message ?? null,
      cost_usd: costMicros === undefined ? null : formatDecimal(costMicros),
      data: event.done === undefined ? null : JSON.stringify({ done: event.done, total: event.total }),
    })
    .execute()
    .catch((error: unknown) => resources.logger.warn({ err: error }, "could not record a job event"));
}

function aspectPreset(aspect: string): "youtube" | "vertical" | "square" | "portrait" {
  switch (aspect) {
    case "9:16":
      return "vertical";
    case "1:1":
      return "square";
    case "4:5":
      return "portrait";
    default:
      return "youtube";
  }
}

/** A file name from a title: letters, digits and dashes. */
function safeName(title: string): string {
  return (
    title
      .normalize("NFKD")
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "")
      .toLowerCase()
      .slice(0, 80) || "video"
  );
}
