import { z } from "zod";
import { defineJob } from "../../queue/index.ts";
import type { CachedAsset } from "../asset-cache.ts";
import { sha256Hex } from "../input-key.ts";
import type { RunContext } from "../pipeline-types.ts";
import { routedAsset } from "../routed-asset.ts";
import { fanOut, type SceneCosts } from "../scene-jobs.ts";
import { type TaskCosts, type VideoRef, videoRef, videoRefSchema } from "../task-context.ts";
import type { PlannedScene } from "./scene-breakdown.ts";

/** The largest side of a generated still: providers cap sizes, and the renderer fits the still. */
const MAX_IMAGE_SIDE = 1024;

const NEGATIVE_PROMPT = "text, letters, captions, watermark, logo, blurry, deformed hands, extra limbs";

/** The prompt of a scene's still: the scene's look plus every present character's fixed description. */
function imagePrompt(scene: PlannedScene, style: string | undefined): string {
  const people = scene.characters
    .filter((character) => character.description.trim().length > 0)
    .map((character) => `${character.name}: ${character.description.trim()}`);
  return [
    scene.scene.visualDescription.trim(),
    people.length > 0 ? `Characters — ${people.join("; ")}.` : "",
    `Mood: ${scene.scene.mood}. Time of day: ${scene.scene.timeOfDay}.`,
    style ? `Style: ${style}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

/** The still's size for an output size: same aspect, longest side at most 1024, multiples of 8. */
function imageSize(output: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(output.width, output.height));
  const round8 = (value: number): number => Math.max(64, Math.round((value * scale) / 8) * 8);
  return { width: round8(output.width), height: round8(output.height) };
}

/** The image request of one scene: everything that decides its still. */
const imageRequestSchema = z.object({
  prompt: z.string().min(1),
  negativePrompt: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  seed: z.number().int(),
  style: z.string().optional(),
});

/** The payload of {@link imageJob}. */
interface ImagePayload {
  readonly video: VideoRef;
  readonly request: z.infer<typeof imageRequestSchema>;
}

/** One scene's still, generated through the tier's image chain (or found in the asset cache). */
export const imageJob = defineJob<ImagePayload, { asset: CachedAsset } & TaskCosts>({
  type: "pipeline.image",
  payload: z.object({ video: videoRefSchema, request: imageRequestSchema }),
  timeoutMs: 15 * 60 * 1000,
  attempts: 2,
  backoffMs: 1000,
});

/** The handler body of {@link imageJob}, in the context of the job's video. */
export async function generateImage(context: RunContext, payload: ImagePayload): Promise<CachedAsset> {
  const { request } = payload;
  const { asset } = await routedAsset(context, {
    stage: "image_generation",
    capability: "image",
    kind: "image",
    inputs: request,
    request,
    toAsset: (result) => ({
      data: result.image,
      contentType: result.mediaType,
      metadata: {
        seed: result.seed ?? request.seed,
        width: result.width,
        height: result.height,
        prompt: request.prompt,
      },
    }),
  });
  return asset;
}

/**
 * `image_generation`: one still per scene through the tier's image chain, with a seed derived from the
 * prompt (recorded with the asset), so the same scene always asks for the same picture. Each scene is
 * one {@link imageJob}.
 */
export async function runImageGeneration(
  context: RunContext,
  costs: SceneCosts,
  scenes: readonly PlannedScene[],
  output: { width: number; height: number },
): Promise<CachedAsset[]> {
  const size = imageSize(output);
  const video = videoRef(context);
  const results = await fanOut(context, "image_generation", scenes.length, (index, options) => {
    const prompt = imagePrompt(scenes[index]!, context.request.style);
    const seed = Number.parseInt(sha256Hex(prompt).slice(0, 8), 16) % 2_147_483_647;
    const request = { prompt, negativePrompt: NEGATIVE_PROMPT, ...size, seed, style: context.request.style };
    return context.resources.queue.run(imageJob, { video, request }, options);
  });
  await costs.add(results);
  return results.map((result) => result.asset);
}
