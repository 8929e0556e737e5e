import { assertOptionsSupported, audioDurationSeconds } from "../http/index.ts";
import type { CallOptions, Provider, SpeechModel, SpeechRequest, SpeechResult } from "../types.ts";
import { elevenLabsVoiceId } from "../voice-catalog.ts";
import { MODELSLAB_PATHS } from "./modelslab-api-types.ts";
import { type ModelsLabModelConfig, runModelsLabJob } from "./modelslab-job.ts";

/**
 * Text-to-speech through ModelsLab v7 (`/v7/voice/text-to-speech`; the text goes in `prompt`, voices are
 * ElevenLabs voice ids). ModelsLab gives no word timings, so `words` is undefined.
 */
export class ModelsLabSpeechModel implements SpeechModel {
  readonly provider = "modelslab";
  readonly modelId: string;
  readonly #config: ModelsLabModelConfig;
  readonly #owner: Pick<Provider, "name" | "supports">;

  constructor(modelId: string, owner: Pick<Provider, "name" | "supports">, config: ModelsLabModelConfig) {
    this.modelId = modelId;
    this.#owner = owner;
    this.#config = config;
  }

  async generate(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechResult> {
    assertOptionsSupported(this.#owner, "voice", this.modelId, request);
    const context = { ...this.#config.context, modelId: this.modelId, signal: options.signal };
    const { media, envelope } = await runModelsLabJob(
      this.#config,
      context,
      {
        path: MODELSLAB_PATHS.textToSpeech,
        family: "voice",
        idempotencyKey: options.idempotencyKey,
        body: {
          model_id: this.modelId,
          prompt: request.text,
          voice_id: elevenLabsVoiceId(request.voice),
          ...(request.language ? { language: request.language } : {}),
          ...(request.speed === undefined ? {} : { speed: request.speed }),
          ...(options.idempotencyKey ? { track_id: options.idempotencyKey } : {}),
        },
      },
      { maxBytes: this.#config.maxDownloadBytes.audio, accept: ["audio/"] },
    );
    return {
      audio: media.data,
      mediaType: media.mediaType,
      durationSeconds: audioDurationSeconds(media.data) ?? envelope.audio_time ?? 0,
      characters: request.text.length,
      modelId: this.modelId,
    };
  }
}
