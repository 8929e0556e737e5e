import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { CAPABILITIES, RESOLUTIONS, TIER_NAMES } from "../config/index.ts";
import { LitinkError } from "../errors/index.ts";
import {
  type BullmqJobQueue,
  defineJob,
  type JobContext,
  UnrecoverableJobError,
  willRunAgain,
} from "../queue/index.ts";
import { DEFAULT_ROUTER_POLICY } from "../router/index.ts";
import { ASPECTS, type PipelineResources, VIDEO_JOB_TYPE, type VideoRequest } from "./pipeline-types.ts";
import { checkVideoRequest, runVideo, settleFailure, type VideoResult } from "./run-video.ts";

/** The payload of {@link videoJob}: a {@link VideoRequest} whose files are object-store keys, and its video's id. */
const videoJobPayloadSchema = z.object({
  videoId: z.string().min(1),
  /** The book or screenplay in the object store. */
  sourceKey: z.string().min(1),
  /** Background music in the object store. */
  musicKey: z.string().min(1).optional(),
  chapters: z.object({ from: z.number().int().min(1), to: z.number().int().min(1) }).optional(),
  tier: z.enum(TIER_NAMES),
  userId: z.string().optional(),
  aspect: z.enum(ASPECTS).optional(),
  style: z.string().optional(),
  voice: z.string().optional(),
  trim: z.boolean().optional(),
  allowQcFailures: z.boolean().optional(),
  resolution: z.enum(RESOLUTIONS).optional(),
  modelOverrides: z.partialRecord(z.enum(CAPABILITIES), z.string()).optional(),
  /** Voices to clone: each speaker's recordings in the object store. */
  voiceClones: z
    .array(z.object({ speaker: z.string().optional(), sampleKeys: z.array(z.string().min(1)).min(1) }))
    .optional(),
});

/** The parsed {@link videoJobPayloadSchema}. */
type VideoJobPayload = z.infer<typeof videoJobPayloadSchema>;

/** The object-store keys of a finished video's files, all under `videos/<id>/`. */
interface VideoOutputKeys {
  readonly video: string;
  readonly srt: string;
  readonly vtt: string;
  readonly script: string;
  readonly receipt: string;
  readonly qc: string;
}

/** What {@link videoJob} returns. */
interface VideoJobResult {
  readonly videoId: string;
  readonly keys: VideoOutputKeys;
  readonly qcPassed: boolean;
}

/**
 * A whole video as one queued job (`litink render --detach`): a worker runs `runVideo` as the
 * orchestrator, which fans the scene jobs out to the workers. Long, since it spans the whole pipeline;
 * a second attempt after a crash is cheap because finished scenes are cache hits.
 */
export const videoJob = defineJob<VideoJobPayload, VideoJobResult>({
  type: VIDEO_JOB_TYPE,
  payload: videoJobPayloadSchema,
  timeoutMs: 6 * 60 * 60 * 1000,
  attempts: 2,
  // Past the router's breaker cooldown: an attempt that ran out of models opened their breakers in this
  // worker, and a retry before they half-open fails at once, without asking any provider.
  backoffMs: DEFAULT_ROUTER_POLICY.breakerCooldownMs + 5000,
});

/**
 * The handler of {@link videoJob}: fetches the source (and music, and voice samples) from the object
 * store into this worker's work dir, runs `runVideo` for the submitted video's row with an out dir there,
 * and stores the captions, script, receipt and QC report beside the MP4 under `videos/<id>/`.
 *
 * A retried or restarted job simply runs `runVideo` again: every scene and segment the earlier attempt
 * finished is a hit in the content-addressed cache, so only the unfinished work is done (and paid) again.
 */
export async function runVideoJob(
  resources: PipelineResources,
  payload: VideoJobPayload,
  job: JobContext,
): Promise<VideoJobResult> {
  const { videoId, sourceKey, musicKey, voiceClones, ...fields } = payload;
  const jobDir = path.join(resources.workDir, "video-jobs", videoId);
  const options = {
    videoId,
    signal: job.signal,
    willRetry: (error: unknown) => willRunAgain(error, job, videoJob.attempts),
  };
  await rm(jobDir, { recursive: true, force: true });
  // Until runVideo runs, a failure here must settle the row itself (it would stay queued for ever).
  let running = false;
  try {
    const sourcePath = await download(resources, sourceKey, path.join(jobDir, "input"));
    const musicPath = musicKey ? await download(resources, musicKey, path.join(jobDir, "music")) : undefined;
    const clones = await Promise.all(
      (voiceClones ?? []).map(async (clone, index) => ({
        speaker: clone.speaker,
        samplePaths: await Promise.all(
          clone.sampleKeys.map((key, n) =>
            download(resources, key, path.join(jobDir, "voices", `${index}-${n}`)),
          ),
        ),
      })),
    );
    const request: VideoRequest = {
      ...fields,
      sourcePath,
      musicPath,
      voiceClones: voiceClones && clones,
      outDir: path.join(jobDir, "out"),
    };
    let result: VideoResult;
    try {
      running = true;
      result = await runVideo(resources, request, options);
    } catch (error) {
      // A failed quality check is final (the row says failed), but its report and files are still worth keeping.
      const failed = error instanceof LitinkError && error.code === "pipeline.qc_failed";
      if (!failed) throw error;
      await storeOutputs(resources, videoId, error.details.result as VideoResult);
      throw new UnrecoverableJobError(error.message, error);
    }
    return { videoId, keys: await storeOutputs(resources, videoId, result), qcPassed: result.qc.passed };
  } catch (error) {
    if (!running) await settleFailure(resources, videoId, error, options);
    throw error;
  } finally {
    await rm(jobDir, { recursive: true, force: true });
  }
}

/** Stores a finished run's files under `videos/<id>/` (the MP4 is there already); their keys. */
async function storeOutputs(
  resources: PipelineResources,
  videoId: string,
  result: VideoResult,
): Promise<VideoOutputKeys> {
  const store = async (file: string, contentType: string): Promise<string> => {
    const key = `videos/${videoId}/${path.basename(file)}`;
    await resources.storage.put(key, createReadStream(file), { contentType });
    return key;
  };
  return {
    video: `videos/${videoId}/${path.basename(result.outputPath)}`,
    srt: await store(result.srtPath, "application/x-subrip"),
    vtt: await store(result.vttPath, "text/vtt"),
    script: await store(result.scriptPath, "application/json"),
    receipt: await store(result.receiptPath, "application/json"),
    qc: await store(result.qcPath, "application/json"),
  };
}

/** Copies an object into `dir` under its own file name (ingest reads the format from the extension). */
async function download(resources: PipelineResources, key: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, path.posix.basename(key));
  await pipeline(await resources.storage.get(key), createWriteStream(file));
  return file;
}

/**
 * Submits a video to run entirely on the workers (`litink render --detach`): reads the source and
 * applies the tier rules first (a refused request fails here, before anything is queued), stores the
 * source (and music, and voice samples) in the object store, creates the video's row as `queued` and
 * adds a {@link videoJob} at the tier's priority for the user. Returns without waiting for any worker.
 */
export async function submitVideo(
  resources: PipelineResources,
  queue: BullmqJobQueue,
  request: VideoRequest,
): Promise<{ readonly videoId: string; readonly notices: readonly string[] }> {
  const { notices } = await checkVideoRequest(resources, request);
  const tier = resources.config.tiers[request.tier];
  const { id: videoId } = await resources.db
    .insertInto("videos")
    .values({
      user_id: request.userId ?? null,
      chapters: request.chapters ? `${request.chapters.from}-${request.chapters.to}` : null,
      options: JSON.stringify({
        ...request,
        sourcePath: path.basename(request.sourcePath),
        musicPath: request.musicPath && path.basename(request.musicPath),
        outDir: undefined,
      }),
      tier_at_time: request.tier,
      status: "queued",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  try {
    const upload = async (file: string, prefix = ""): Promise<string> => {
      const key = `uploads/${videoId}/${prefix}${path.basename(file)}`;
      await resources.storage.put(key, createReadStream(file));
      return key;
    };
    const { sourcePath, musicPath, voiceClones, outDir: _outDir, ...fields } = request;
    await queue.submit(
      videoJob,
      {
        ...fields,
        videoId,
        sourceKey: await upload(sourcePath),
        ...(musicPath === undefined ? {} : { musicKey: await upload(musicPath) }),
        ...(voiceClones === undefined
          ? {}
          : {
              voiceClones: await Promise.all(
                voiceClones.map(async (clone, index) => ({
                  speaker: clone.speaker,
                  sampleKeys: await Promise.all(
                    clone.samplePaths.map((file, n) => upload(file, `voice-${index}-${n}-`)),
                  ),
                })),
              ),
            }),
      },
      { jobId: videoId, priority: tier.priority, userId: request.userId },
    );
  } catch (error) {
    await resources.db
      .updateTable("videos")
      .set({
        status: "failed",
        error: JSON.stringify({ code: "pipeline.submit_failed", message: (error as Error).message }),
        finished_at: new Date(),
        updated_at: new Date(),
      })
      .where("id", "=", videoId)
      .execute()
      .catch(() => undefined);
    throw error;
  }
  return { videoId, notices };
}
