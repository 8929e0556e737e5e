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
import { publicUrl } from "./video-generation.ts";

/** The payload of {@link lipSyncJob}. */
interface LipSyncPayload {
  readonly video: VideoRef;
  /** The scene's still or clip. */
  readonly face: CachedAsset;
  /** The scene's track. */
  readonly audio: CachedAsset;
}

/** One dialogue scene's faces made to mouth its track (or found in the asset cache). */
export const lipSyncJob = defineJob<LipSyncPayload, { asset: CachedAsset } & TaskCosts>({
  type: "pipeline.lipsync",
  payload: z.object({ video: videoRefSchema, face: cachedAssetSchema, audio: cachedAssetSchema }),
  timeoutMs: 30 * 60 * 1000,
  attempts: 2,
  backoffMs: 1000,
});

/** The handler body of {@link lipSyncJob}, in the context of the job's video. */
export async function syncLips(context: RunContext, payload: LipSyncPayload): Promise<CachedAsset> {
  const { face, audio } = payload;
  const { asset } = await routedAsset(context, {
    stage: "lip_sync",
    capability: "lip_sync",
    kind: "lip-sync",
    inputs: { face: face.sha256, audio: audio.sha256 },
    request: {
      face: {
        data: await context.cache.read(face),
        mediaType: face.contentType,
        url: await publicUrl(context, face),
      },
      audio: {
        data: await context.cache.read(audio),
        mediaType: audio.contentType,
        url: await publicUrl(context, audio),
      },
    },
    toAsset: (result) => ({
      data: result.video,
      contentType: result.mediaType,
      metadata: { durationSeconds: result.durationSeconds },
    }),
  });
  return asset;
}

/**
 * `lip_sync`: where the tier allows it and a provider supports it, makes the faces of dialogue scenes
 * mouth their lines (scene still or clip + the scene's track). Returns the synced clip per scene, or
 * `undefined` where nothing changed.
 */
export async function runLipSync(
  context: RunContext,
  costs: SceneCosts,
  scenes: readonly PlannedScene[],
  visuals: readonly CachedAsset[],
  audio: readonly SceneAudio[],
): Promise<(CachedAsset | undefined)[]> {
  const synced: (CachedAsset | undefined)[] = new Array(scenes.length).fill(undefined);
  if (!context.tier.lipSync || servingChain(context, "lip_sync")[0] === "local") {
    const reason = context.tier.lipSync
      ? "no lip-sync provider is configured"
      : `the ${context.tier.name} tier does not include lip sync`;
    context.emit({ stage: "lip_sync", status: "skipped", message: reason });
    return synced;
  }
  if (visuals.length > 0 && (await publicUrl(context, visuals[0]!)) === undefined) {
    // Lip-sync models fetch the face and the audio by URL: local-file storage has none to give.
    context.emit({
      stage: "lip_sync",
      status: "skipped",
      message: "lip sync needs object storage reachable by URL (STORAGE_URL=s3://…)",
    });
    return synced;
  }
  const dialogue = scenes
    .map((scene, index) => ({ scene, index }))
    .filter(({ scene }) => scene.scene.beats.some((beat) => beat.kind === "dialogue"));
  const video = videoRef(context);
  const results = await fanOut(context, "lip_sync", dialogue.length, (position, options) => {
    const { index } = dialogue[position]!;
    const payload = { video, face: visuals[index]!, audio: audio[index]!.asset };
    return context.resources.queue.run(lipSyncJob, payload, options);
  });
  await costs.add(results);
  results.forEach((result, position) => {
    synced[dialogue[position]!.index] = result.asset;
  });
  return synced;
}
