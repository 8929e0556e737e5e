import { z } from "zod";
import { defineJob } from "../../queue/index.ts";
import type { CachedAsset } from "../asset-cache.ts";
import type { RunContext } from "../pipeline-types.ts";
import { routedAsset, servingChain } from "../routed-asset.ts";
import { fanOut, type SceneCosts } from "../scene-jobs.ts";
import {
  cachedAssetSchema,
  type TaskCosts,
  type VideoRef,
  videoRef,
  videoRefSchema,
} from "../task-context.ts";
import type { SceneAudio } from "./audio-generation.ts";
import type { PlannedScene } from "./scene-breakdown.ts";

/** Image-to-video models make short clips; longer scenes loop or hold the clip's last frame. */
const MAX_CLIP_SECONDS = 10;

/** Whether this job animates key scenes with an image-to-video model (else FFmpeg Ken Burns motion). */
function usesImageToVideo(context: RunContext): boolean {
  return context.tier.imageToVideo && servingChain(context, "video")[0] !== "local";
}

/** The payload of {@link motionJob}. */
interface MotionPayload {
  readonly video: VideoRef;
  /** The scene's still. */
  readonly image: CachedAsset;
  readonly prompt: string;
  readonly durationSeconds: number;
}

/** One key scene's still animated by the tier's image-to-video chain (or found in the asset cache). */
export const motionJob = defineJob<MotionPayload, { asset: CachedAsset } & TaskCosts>({
  type: "pipeline.motion",
  payload: z.object({
    video: videoRefSchema,
    image: cachedAssetSchema,
    prompt: z.string().min(1),
    durationSeconds: z.number().positive(),
  }),
  timeoutMs: 30 * 60 * 1000,
  attempts: 2,
  backoffMs: 1000,
});

/** The handler body of {@link motionJob}, in the context of the job's video. */
export async function animateStill(context: RunContext, payload: MotionPayload): Promise<CachedAsset> {
  const { image, prompt, durationSeconds } = payload;
  const request = {
    image: {
      data: await context.cache.read(image),
      mediaType: image.contentType,
      url: await publicUrl(context, image),
    },
    prompt,
    durationSeconds,
    width: Number(image.metadata.width ?? 1024),
    height: Number(image.metadata.height ?? 576),
  };
  const { asset } = await routedAsset(context, {
    stage: "video_generation",
    capability: "video",
    kind: "video",
    inputs: { image: image.sha256, prompt, durationSeconds },
    request,
    toAsset: (result) => ({
      data: result.video,
      contentType: result.mediaType,
      metadata: { durationSeconds: result.durationSeconds },
    }),
  });
  return asset;
}

/**
 * `video_generation`: on tiers with image-to-video and a remote model available, animates each key
 * scene's still (`undefined` for the others, which get Ken Burns motion in post-processing). Free and
 * Basic, and offline runs, skip the stage.
 */
export async function runVideoGeneration(
  context: RunContext,
  costs: SceneCosts,
  scenes: readonly PlannedScene[],
  images: readonly CachedAsset[],
  audio: readonly SceneAudio[],
): Promise<(CachedAsset | undefined)[]> {
  const clips: (CachedAsset | undefined)[] = new Array(scenes.length).fill(undefined);
  if (!usesImageToVideo(context)) {
    const reason = context.tier.imageToVideo
      ? "no image-to-video model is configured; stills get Ken Burns motion"
      : `the ${context.tier.name} tier animates stills with FFmpeg`;
    context.emit({ stage: "video_generation", status: "skipped", message: reason });
    return clips;
  }
  const keyScenes = scenes.map((scene, index) => ({ scene, index })).filter(({ scene }) => scene.scene.key);
  if (keyScenes.length > 0 && (await publicUrl(context, images[keyScenes[0]!.index]!)) === undefined) {
    // Remote image-to-video models fetch their input by URL: local-file storage has none to give.
    context.emit({
      stage: "video_generation",
      status: "skipped",
      message:
        "image-to-video needs object storage reachable by URL (STORAGE_URL=s3://…); stills get Ken Burns motion",
    });
    return clips;
  }
  const video = videoRef(context);
  const results = await fanOut(context, "video_generation", keyScenes.length, (position, options) => {
    const { scene, index } = keyScenes[position]!;
    const payload = {
      video,
      image: images[index]!,
      prompt: `${scene.scene.visualDescription}. Gentle, cinematic camera motion; ${scene.scene.mood} mood.`,
      durationSeconds: Math.min(MAX_CLIP_SECONDS, Math.max(2, Math.ceil(audio[index]?.duration ?? 5))),
    };
    return context.resources.queue.run(motionJob, payload, options);
  });
  await costs.add(results);
  results.forEach((result, position) => {
    clips[keyScenes[position]!.index] = result.asset;
  });
  return clips;
}

/** An http(s) URL for providers that fetch inputs by URL (S3 presigned); undefined for local files. */
export async function publicUrl(context: RunContext, asset: CachedAsset): Promise<string | undefined> {
  const url = await context.resources.storage.url(asset.storageKey, { expiresInSeconds: 6 * 3600 });
  return url.startsWith("http") ? url : undefined;
}
