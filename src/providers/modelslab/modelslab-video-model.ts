import { assertOptionsSupported, unsupportedError, videoDurationSeconds } from "../http/index.ts";
import type { CallOptions, ImageToVideoModel, ImageToVideoRequest, Provider, VideoResult } from "../types.ts";
import { MODELSLAB_PATHS } from "./modelslab-api-types.ts";
import { type ModelsLabModelConfig, runModelsLabJob } from "./modelslab-job.ts";

/**
 * Image-to-video through ModelsLab v7 (`/v7/video-fusion/image-to-video`, always asynchronous). ModelsLab
 * fetches the still by URL, so `image.url` must be set (e.g. a presigned object-store URL).
 */
export class ModelsLabVideoModel implements ImageToVideoModel {
  readonly provider = "modelslab";
  readonly modelId: string;
  readonly #config: ModelsLabModelConfig;
  readonly #owner: Pick<Provider, "name" | "supports">;

  constructor(modelId: string, owner: Pick<Provider, "name" | "supports">, config: ModelsLabModelConfig) {
    this.modelId = modelId;
    this.#owner = owner;
    this.#config = config;
  }

  async generate(request: ImageToVideoRequest, options: CallOptions = {}): Promise<VideoResult> {
    assertOptionsSupported(this.#owner, "video", this.modelId, request);
    if (!request.image.url) {
      throw unsupportedError(
        "modelslab",
        this.modelId,
        "an image given as bytes only (ModelsLab downloads inputs by URL: pass image.url, e.g. a presigned storage URL)",
      );
    }
    const context = { ...this.#config.context, modelId: this.modelId, signal: options.signal };
    const { media } = await runModelsLabJob(
      this.#config,
      context,
      {
        path: MODELSLAB_PATHS.imageToVideo,
        family: "video-fusion",
        idempotencyKey: options.idempotencyKey,
        body: {
          model_id: this.modelId,
          init_image: request.image.url,
          ...(request.prompt ? { prompt: request.prompt } : {}),
          duration: request.durationSeconds,
          width: request.width,
          height: request.height,
          ...(request.seed === undefined ? {} : { seed: request.seed }),
          ...(options.idempotencyKey ? { track_id: options.idempotencyKey } : {}),
        },
      },
      { maxBytes: this.#config.maxDownloadBytes.video, accept: ["video/"] },
    );
    return {
      video: media.data,
      mediaType: media.mediaType,
      durationSeconds: videoDurationSeconds(media.data) ?? request.durationSeconds,
      modelId: this.modelId,
    };
  }
}
