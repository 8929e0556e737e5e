import type { CachedAsset } from "../asset-cache.ts";
import type { RunContext } from "../pipeline-types.ts";
import { routedAsset, servingChain } from "../routed-asset.ts";
import type { SceneTaskRegistry } from "../scene-jobs.ts";
import type { SceneAudio } from "./audio-generation.ts";
import type { PlannedScene } from "./scene-breakdown.ts";
import { publicUrl } from "./video-generation.ts";

/**
 * `lip_sync`: where the tier allows it and a provider supports it, makes the faces of dialogue scenes
 * mouth their lines (scene still or clip + the scene's track). Returns the synced clip per scene, or
 * `undefined` where nothing changed.
 */
export async function runLipSync(
  context: RunContext,
  registry: SceneTaskRegistry,
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
  await registry.forEachScene(context, "lip_sync", dialogue.length, async (position) => {
    const { index } = dialogue[position]!;
    const face = visuals[index]!;
    const track = audio[index]!;
    const { asset } = await routedAsset(context, {
      stage: "lip_sync",
      capability: "lip_sync",
      kind: "lip-sync",
      inputs: { face: face.sha256, audio: track.asset.sha256 },
      request: {
        face: {
          data: await context.cache.read(face),
          mediaType: face.contentType,
          url: await publicUrl(context, face),
        },
        audio: {
          data: await context.cache.read(track.asset),
          mediaType: track.asset.contentType,
          url: await publicUrl(context, track.asset),
        },
      },
      toAsset: (result) => ({
        data: result.video,
        contentType: result.mediaType,
        metadata: { durationSeconds: result.durationSeconds },
      }),
    });
    synced[index] = asset;
  });
  return synced;
}
