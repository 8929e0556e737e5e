import {
  assertOptionsSupported,
  audioDurationSeconds,
  type CallContext,
  requestJson,
} from "../http/index.ts";
import type { CallOptions, Provider, SpeechModel, SpeechRequest, SpeechResult } from "../types.ts";
import { elevenLabsVoiceId } from "../voice-catalog.ts";
import { alignmentToWords } from "./alignment-to-words.ts";
import { elevenLabsSpeechWithTimestampsSchema } from "./elevenlabs-api-types.ts";
import { mapElevenLabsError } from "./elevenlabs-error.ts";

/** What the provider hands its models. */
export interface ElevenLabsModelConfig {
  readonly baseURL: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly context: Omit<CallContext, "modelId" | "signal">;
  /** @defaultValue "mp3_44100_128" */
  readonly outputFormat: string;
}

/**
 * Speech through ElevenLabs `/v1/text-to-speech/{voice_id}/with-timestamps`: MP3 plus word timings grouped
 * from the character alignment; `characters` is the billed `character-cost` header when sent.
 */
export class ElevenLabsSpeechModel implements SpeechModel {
  readonly provider = "elevenlabs";
  readonly modelId: string;
  readonly #config: ElevenLabsModelConfig;
  readonly #owner: Pick<Provider, "name" | "supports">;

  constructor(modelId: string, owner: Pick<Provider, "name" | "supports">, config: ElevenLabsModelConfig) {
    this.modelId = modelId;
    this.#owner = owner;
    this.#config = config;
  }

  async generate(request: SpeechRequest, options: CallOptions = {}): Promise<SpeechResult> {
    assertOptionsSupported(this.#owner, "voice", this.modelId, request);
    const context: CallContext = { ...this.#config.context, modelId: this.modelId, signal: options.signal };
    const url = `${this.#config.baseURL}/v1/text-to-speech/${encodeURIComponent(elevenLabsVoiceId(request.voice))}/with-timestamps?output_format=${encodeURIComponent(this.#config.outputFormat)}`;
    const { value, headers } = await requestJson(context, {
      url,
      headers: this.#config.headers,
      body: {
        text: request.text,
        model_id: this.modelId,
        // Only the v2.5 Turbo/Flash models accept language_code; the others detect the language.
        ...(request.language && /_v2_5$/.test(this.modelId) ? { language_code: request.language } : {}),
        ...(request.speed === undefined ? {} : { voice_settings: { speed: request.speed } }),
        ...(request.seed === undefined ? {} : { seed: request.seed }),
      },
      schema: elevenLabsSpeechWithTimestampsSchema,
      mapError: mapElevenLabsError,
    });
    const audio = new Uint8Array(Buffer.from(value.audio_base64, "base64"));
    const alignment = value.alignment ?? value.normalized_alignment ?? undefined;
    const words = alignment ? alignmentToWords(alignment) : undefined;
    const alignedEnd = alignment ? Math.max(0, ...alignment.character_end_times_seconds) : 0;
    const billed = Number(headers.get("character-cost"));
    return {
      audio,
      mediaType: mediaTypeOf(this.#config.outputFormat),
      durationSeconds: audioDurationSeconds(audio) ?? alignedEnd,
      words,
      characters: Number.isFinite(billed) && headers.has("character-cost") ? billed : request.text.length,
      modelId: this.modelId,
    };
  }
}

function mediaTypeOf(outputFormat: string): string {
  if (outputFormat.startsWith("mp3")) return "audio/mpeg";
  if (outputFormat.startsWith("opus")) return "audio/ogg";
  if (outputFormat.startsWith("ulaw")) return "audio/basic";
  return "audio/L16";
}
