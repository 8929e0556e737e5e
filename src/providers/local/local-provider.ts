import type { Capability } from "../../config/index.ts";
import { assertNever } from "../../errors/index.ts";
import { createSilentLogger } from "../../logging/index.ts";
import type { ModelByCapability, Provider } from "../types.ts";
import { LocalImageModel } from "./local-image-model.ts";
import { LOCAL_MODEL_IDS } from "./local-model-ids.ts";
import type { LocalProviderOptions } from "./local-provider-options.ts";
import { LocalSpeechModel } from "./local-speech-model.ts";
import { LocalTextModel } from "./local-text-model.ts";
import { LOCAL_PROVIDER_NAME, localUnsupported } from "./local-unsupported.ts";
import { LocalVideoModel } from "./local-video-model.ts";
import { EspeakWorkerPool } from "./speech/espeak-worker-pool.ts";
import { espeakModuleUrl } from "./speech/run-espeak.ts";

/**
 * What the local provider does, and which request fields each capability honours. Voice cloning and lip
 * sync are not offered: asking for them is a `provider.unsupported` error before anything runs.
 */
export const LOCAL_SUPPORTS = {
  script: ["task", "schema"],
  image: ["seed", "style", "negativePrompt"],
  voice: ["language", "speed"],
  video: ["seed", "fps"],
} as const satisfies Provider["supports"];

/**
 * Creates the offline `local` provider: no keys, no network, the same output for the same input.
 * - `script`: an extractive screenwriter performing named tasks (`adapt_chapter`, `adapt_screenplay`,
 *   `character_bible`);
 * - `image`: a procedural SVG illustration rasterized to PNG with sharp;
 * - `voice`: eSpeak NG (system binary, else the WASM build in up to `speechWorkers` worker processes) to
 *   WAV with word timings;
 * - `video`: a Ken Burns move on the still with FFmpeg;
 * - `voice_clone`, `lip_sync`: unsupported.
 *
 * @example
 * const local = createLocal();
 * const speech = await local.model("voice", "espeak-ng").generate({ text: "Hello.", voice: "narrator" });
 */
export function createLocal(options: LocalProviderOptions = {}): Provider {
  const resolved = { ...options, logger: options.logger ?? createSilentLogger() };
  let pool: EspeakWorkerPool | undefined;
  const workers = (): EspeakWorkerPool => {
    pool ??= new EspeakWorkerPool(espeakModuleUrl(LOCAL_MODEL_IDS.voice), options.speechWorkers ?? 2);
    return pool;
  };
  return {
    name: LOCAL_PROVIDER_NAME,
    supports: LOCAL_SUPPORTS,
    model<C extends Capability>(capability: C, modelId: string): ModelByCapability[C] {
      return createModel(capability, modelId, resolved, workers) as ModelByCapability[C];
    },
  };
}

function createModel(
  capability: Capability,
  modelId: string,
  options: LocalProviderOptions,
  workers: () => EspeakWorkerPool,
): ModelByCapability[Capability] {
  switch (capability) {
    case "script":
      return new LocalTextModel(modelId);
    case "image":
      return new LocalImageModel(modelId);
    case "voice":
      return new LocalSpeechModel(modelId, options, workers);
    case "video":
      return new LocalVideoModel(modelId, options);
    case "voice_clone":
      throw localUnsupported(
        "the local provider cannot clone voices: configure ElevenLabs (ELEVENLABS_API_KEY) for voice cloning",
        modelId,
      );
    case "lip_sync":
      throw localUnsupported(
        "the local provider cannot lip-sync: configure ModelsLab (MODELSLAB_API_KEY) for lip sync, or skip the stage",
        modelId,
      );
    default:
      return assertNever(capability, "capability");
  }
}
