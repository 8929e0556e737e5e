export {
  createElevenLabs,
  ELEVENLABS_BASE_URL,
  type ElevenLabsProvider,
  type ElevenLabsSettings,
  type ElevenLabsVoice,
} from "./elevenlabs/index.ts";
export {
  type Clock,
  type FetchFunction,
  OPTIONAL_FIELDS,
  type PollSchedule,
  type ProviderSettings,
  systemClock,
} from "./http/index.ts";
export { createModelsLab, MODELSLAB_BASE_URL, type ModelsLabSettings } from "./modelslab/index.ts";
export {
  createOpenRouter,
  OPENROUTER_BASE_URL,
  type OpenRouterProvider,
  type OpenRouterProviderPreferences,
  type OpenRouterSettings,
  OpenRouterTextModel,
  type OpenRouterTextSettings,
} from "./openrouter/index.ts";
export {
  isProviderError,
  ProviderError,
  type ProviderErrorKind,
  type ProviderErrorOptions,
} from "./provider-error.ts";
export { createRemoteProviders, type RemoteProviderOptions } from "./remote-providers.ts";
export type * from "./types.ts";
export { ELEVENLABS_LOGICAL_VOICE_IDS, elevenLabsVoiceId } from "./voice-catalog.ts";
