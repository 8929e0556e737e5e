export {
  createElevenLabs,
  ELEVENLABS_BASE_URL,
  type ElevenLabsProvider,
  type ElevenLabsSettings,
  type ElevenLabsVoice,
} from "./elevenlabs-provider.ts";
