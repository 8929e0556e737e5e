import { assertOptionsSupported, type CallContext, requestJson } from "../http/index.ts";
import { ProviderError } from "../provider-error.ts";
import type {
  CallOptions,
  Provider,
  VoiceCloneModel,
  VoiceCloneRequest,
  VoiceCloneResult,
} from "../types.ts";
import { elevenLabsAddVoiceSchema } from "./elevenlabs-api-types.ts";
import { mapElevenLabsError } from "./elevenlabs-error.ts";
import type { ElevenLabsModelConfig } from "./elevenlabs-speech-model.ts";

/** Instant voice cloning through ElevenLabs `POST /v1/voices/add` (multipart: `name`, repeated `files`). */
export class ElevenLabsVoiceCloneModel implements VoiceCloneModel {
  readonly provider = "elevenlabs";
  readonly modelId: string;
  readonly #config: ElevenLabsModelConfig;
  readonly #owner: Pick<Provider, "name" | "supports">;

  constructor(modelId: string, owner: Pick<Provider, "name" | "supports">, config: ElevenLabsModelConfig) {
    this.modelId = modelId;
    this.#owner = owner;
    this.#config = config;
  }

  async clone(request: VoiceCloneRequest, options: CallOptions = {}): Promise<VoiceCloneResult> {
    assertOptionsSupported(this.#owner, "voice_clone", this.modelId, request);
    if (request.samples.length === 0) {
      throw new ProviderError("elevenlabs: voice cloning needs at least one audio sample", {
        provider: this.provider,
        modelId: this.modelId,
        kind: "bad_request",
      });
    }
    const context: CallContext = { ...this.#config.context, modelId: this.modelId, signal: options.signal };
    const form = new FormData();
    form.append("name", request.name);
    if (request.description) form.append("description", request.description);
    request.samples.forEach((sample, index) => {
      const extension = sample.mediaType.split("/")[1]?.replace("mpeg", "mp3") ?? "bin";
      form.append(
        "files",
        new Blob([sample.data], { type: sample.mediaType }),
        `sample-${index + 1}.${extension}`,
      );
    });
    const { value } = await requestJson(context, {
      url: `${this.#config.baseURL}/v1/voices/add`,
      headers: this.#config.headers,
      body: form,
      schema: elevenLabsAddVoiceSchema,
      mapError: mapElevenLabsError,
    });
    return { voiceId: value.voice_id, modelId: this.modelId };
  }
}
