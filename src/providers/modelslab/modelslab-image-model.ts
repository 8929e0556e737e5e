import { assertOptionsSupported, pngSize } from "../http/index.ts";
import type { CallOptions, ImageModel, ImageRequest, ImageResult, Provider } from "../types.ts";
import { MODELSLAB_PATHS } from "./modelslab-api-types.ts";
import { type ModelsLabModelConfig, runModelsLabJob } from "./modelslab-job.ts";

/** Text-to-image through ModelsLab v7 (`/v7/images/text-to-image`); `style` is folded into the prompt. */
export class ModelsLabImageModel implements ImageModel {
  readonly provider = "modelslab";
  readonly modelId: string;
  readonly #config: ModelsLabModelConfig;
  readonly #owner: Pick<Provider, "name" | "supports">;

  constructor(modelId: string, owner: Pick<Provider, "name" | "supports">, config: ModelsLabModelConfig) {
    this.modelId = modelId;
    this.#owner = owner;
    this.#config = config;
  }

  async generate(request: ImageRequest, options: CallOptions = {}): Promise<ImageResult> {
    assertOptionsSupported(this.#owner, "image", this.modelId, request);
    const context = { ...this.#config.context, modelId: this.modelId, signal: options.signal };
    const prompt = request.style ? `${request.prompt}, ${request.style} style` : request.prompt;
    const { media, envelope } = await runModelsLabJob(
      this.#config,
      context,
      {
        path: MODELSLAB_PATHS.textToImage,
        family: "images",
        idempotencyKey: options.idempotencyKey,
        body: {
          model_id: this.modelId,
          prompt,
          ...(request.negativePrompt ? { negative_prompt: request.negativePrompt } : {}),
          width: request.width,
          height: request.height,
          samples: 1,
          ...(request.seed === undefined ? {} : { seed: request.seed }),
          ...(options.idempotencyKey ? { track_id: options.idempotencyKey } : {}),
        },
      },
      { maxBytes: this.#config.maxDownloadBytes.image, accept: ["image/"] },
    );
    const size = pngSize(media.data) ?? {
      width: envelope.meta?.width ?? request.width,
      height: envelope.meta?.height ?? request.height,
    };
    return {
      image: media.data,
      mediaType: media.mediaType,
      width: size.width,
      height: size.height,
      seed: envelope.meta?.seed ?? request.seed,
      modelId: this.modelId,
    };
  }
}
