import type { z } from "zod";
import type { Capability } from "../../config/index.ts";
import {
  assertCapability,
  type ProviderSettings,
  requestJson,
  systemClock,
  trimBaseURL,
  unsupportedError,
} from "../http/index.ts";
import type { CallOptions, ModelByCapability, Provider } from "../types.ts";
import { type elevenLabsVoiceSchema, elevenLabsVoicesSchema } from "./elevenlabs-api-types.ts";
import { mapElevenLabsError } from "./elevenlabs-error.ts";
import { type ElevenLabsModelConfig, ElevenLabsSpeechModel } from "./elevenlabs-speech-model.ts";
import { ElevenLabsVoiceCloneModel } from "./elevenlabs-voice-clone-model.ts";

/** Settings of {@link createElevenLabs}. */
export interface ElevenLabsSettings extends ProviderSettings {
  /** `output_format` query value. @defaultValue "mp3_44100_128" */
  readonly outputFormat?: string | undefined;
}

/** One voice of the account. */
export type ElevenLabsVoice = z.output<typeof elevenLabsVoiceSchema>;

/** ElevenLabs: speech with word timings and instant voice cloning, plus the account's voices. */
export interface ElevenLabsProvider extends Provider {
  /** `GET /v1/voices`: the voices this key can use. */
  listVoices(options?: CallOptions): Promise<readonly ElevenLabsVoice[]>;
}

/** The public ElevenLabs API. */
export const ELEVENLABS_BASE_URL = "https://api.elevenlabs.io";

const SUPPORTS = { voice: ["language", "speed", "seed"], voice_clone: ["description"] } as const;

/**
 * Creates the ElevenLabs provider (`xi-api-key` header). Voice cloning ignores the model id
 * (instant voice cloning has no model choice); use e.g. `instant-voice-clone`.
 */
export function createElevenLabs(settings: ElevenLabsSettings): ElevenLabsProvider {
  const config: ElevenLabsModelConfig = {
    baseURL: trimBaseURL(settings.baseURL ?? ELEVENLABS_BASE_URL),
    headers: { "xi-api-key": settings.apiKey },
    context: {
      provider: "elevenlabs",
      fetch: settings.fetch ?? globalThis.fetch,
      clock: settings.clock ?? systemClock,
    },
    outputFormat: settings.outputFormat ?? "mp3_44100_128",
  };
  const provider: ElevenLabsProvider = {
    name: "elevenlabs",
    supports: SUPPORTS,
    model<C extends Capability>(capability: C, modelId: string): ModelByCapability[C] {
      assertCapability(provider, capability, modelId);
      if (capability === "voice")
        return new ElevenLabsSpeechModel(modelId, provider, config) as unknown as ModelByCapability[C];
      if (capability === "voice_clone") {
        return new ElevenLabsVoiceCloneModel(modelId, provider, config) as unknown as ModelByCapability[C];
      }
      throw unsupportedError("elevenlabs", modelId, `the ${capability} capability`);
    },
    async listVoices(options = {}) {
      const { value } = await requestJson(
        { ...config.context, signal: options.signal },
        {
          url: `${config.baseURL}/v1/voices`,
          method: "GET",
          headers: config.headers,
          schema: elevenLabsVoicesSchema,
          mapError: mapElevenLabsError,
        },
      );
      return value.voices;
    },
  };
  return provider;
}
