import {
  assertOptionsSupported,
  audioDurationSeconds,
  unsupportedError,
  videoDurationSeconds,
} from "../http/index.ts";
import type { CallOptions, LipSyncModel, LipSyncRequest, Provider, VideoResult } from "../types.ts";
import { MODELSLAB_PATHS } from "./modelslab-api-types.ts";
import { type ModelsLabModelConfig, runModelsLabJob } from "./modelslab-job.ts";

/**
 * Lip sync through ModelsLab v7 (`/v7/video-fusion/lip-sync`, model `lipsync-2`): a face video and the
 * speech, both by URL. A still face is not accepted by this endpoint: animate it first (image-to-video).
 */
export class ModelsLabLipSyncModel implements LipSyncModel {
  readonly provider = "modelslab";
  readonly modelId: string;
  readonly #config: ModelsLabModelConfig;
  readonly #owner: Pick<Provider, "name" | "supports">;

  constructor(modelId: string, owner: Pick<Provider, "name" | "supports">, config: ModelsLabModelConfig) {
    this.modelId = modelId;
    this.#owner = owner;
    this.#config = config;
  }

  async generate(request: LipSyncRequest, options: CallOptions = {}): Promise<VideoResult> {
    assertOptionsSupported(this.#owner, "lip_sync", this.modelId, request);
    if (!request.face.mediaType.startsWith("video/")) {
      throw unsupportedError(
        "modelslab",
        this.modelId,
        `a ${request.face.mediaType} face (lip-sync needs a video face)`,
      );
    }
    if (!request.face.url || !request.audio.url) {
      throw unsupportedError(
        "modelslab",
        this.modelId,
        "face or audio given as bytes only (ModelsLab downloads inputs by URL: pass url, e.g. a presigned storage URL)",
      );
    }
    const context = { ...this.#config.context, modelId: this.modelId, signal: options.signal };
    const { media } = await runModelsLabJob(
      this.#config,
      context,
      {
        path: MODELSLAB_PATHS.lipSync,
        family: "video-fusion",
        idempotencyKey: options.idempotencyKey,
        body: {
          model_id: this.modelId,
          init_video: request.face.url,
          init_audio: request.audio.url,
          ...(options.idempotencyKey ? { track_id: options.idempotencyKey } : {}),
        },
      },
      { maxBytes: this.#config.maxDownloadBytes.video, accept: ["video/"] },
    );
    return {
      video: media.data,
      mediaType: media.mediaType,
      durationSeconds: videoDurationSeconds(media.data) ?? audioDurationSeconds(request.audio.data) ?? 0,
      modelId: this.modelId,
    };
  }
}
