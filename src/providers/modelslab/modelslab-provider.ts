import type { Capability } from "../../config/index.ts";
import {
  assertCapability,
  type PollSchedule,
  type ProviderSettings,
  systemClock,
  trimBaseURL,
  unsupportedError,
} from "../http/index.ts";
import type { ModelByCapability, Provider } from "../types.ts";
import type { ModelsLabFamily } from "./modelslab-api-types.ts";
import { ModelsLabImageModel } from "./modelslab-image-model.ts";
import type { ModelsLabModelConfig } from "./modelslab-job.ts";
import { ModelsLabLipSyncModel } from "./modelslab-lip-sync-model.ts";
import { ModelsLabSpeechModel } from "./modelslab-speech-model.ts";
import { ModelsLabVideoModel } from "./modelslab-video-model.ts";

/** Settings of {@link createModelsLab}. */
export interface ModelsLabSettings extends ProviderSettings {
  /** Polling schedule overrides, for every family or per family. */
  readonly polling?: PollSchedule | { readonly [F in ModelsLabFamily]?: PollSchedule } | undefined;
  /** Download caps in bytes. @defaultValue image 25 MiB, audio 50 MiB, video 250 MiB */
  readonly maxDownloadBytes?: Partial<ModelsLabModelConfig["maxDownloadBytes"]> | undefined;
}

/** The public ModelsLab API (paths such as `/v7/images/text-to-image` are appended). */
export const MODELSLAB_BASE_URL = "https://modelslab.com/api";

const MiB = 1024 * 1024;
const DEFAULT_POLLING: { readonly [F in ModelsLabFamily]: PollSchedule } = {
  images: { initialDelayMs: 1000, maxDelayMs: 10_000, deadlineMs: 180_000 },
  voice: { initialDelayMs: 1000, maxDelayMs: 10_000, deadlineMs: 300_000 },
  "video-fusion": { initialDelayMs: 2000, maxDelayMs: 15_000, deadlineMs: 900_000 },
};

const SUPPORTS = {
  image: ["negativePrompt", "seed", "style"],
  video: ["prompt", "seed"],
  voice: ["language", "speed"],
  lip_sync: [],
} as const;

/**
 * Creates the ModelsLab provider: image, image-to-video, speech and lip sync (v7 endpoints, key in the body,
 * asynchronous jobs polled to completion, outputs downloaded with caps). Voice cloning is not offered.
 */
export function createModelsLab(settings: ModelsLabSettings): Provider {
  const config: ModelsLabModelConfig = {
    apiKey: settings.apiKey,
    baseURL: trimBaseURL(settings.baseURL ?? MODELSLAB_BASE_URL),
    context: {
      provider: "modelslab",
      fetch: settings.fetch ?? globalThis.fetch,
      clock: settings.clock ?? systemClock,
    },
    polling: resolvePolling(settings.polling),
    unfinishedJobs: new Map(),
    maxDownloadBytes: {
      image: settings.maxDownloadBytes?.image ?? 25 * MiB,
      audio: settings.maxDownloadBytes?.audio ?? 50 * MiB,
      video: settings.maxDownloadBytes?.video ?? 250 * MiB,
    },
  };
  const provider: Provider = {
    name: "modelslab",
    supports: SUPPORTS,
    model<C extends Capability>(capability: C, modelId: string): ModelByCapability[C] {
      assertCapability(provider, capability, modelId);
      const models: { readonly [K in Capability]?: () => ModelByCapability[K] } = {
        image: () => new ModelsLabImageModel(modelId, provider, config),
        video: () => new ModelsLabVideoModel(modelId, provider, config),
        voice: () => new ModelsLabSpeechModel(modelId, provider, config),
        lip_sync: () => new ModelsLabLipSyncModel(modelId, provider, config),
      };
      const build = models[capability];
      if (!build) throw unsupportedError("modelslab", modelId, `the ${capability} capability`);
      return build() as ModelByCapability[C];
    },
  };
  return provider;
}

function resolvePolling(polling: ModelsLabSettings["polling"]): ModelsLabModelConfig["polling"] {
  if (!polling) return DEFAULT_POLLING;
  const perFamily = "images" in polling || "voice" in polling || "video-fusion" in polling;
  const pick = (family: ModelsLabFamily): PollSchedule => ({
    ...DEFAULT_POLLING[family],
    ...(perFamily
      ? (polling as { [F in ModelsLabFamily]?: PollSchedule })[family]
      : (polling as PollSchedule)),
  });
  return { images: pick("images"), voice: pick("voice"), "video-fusion": pick("video-fusion") };
}
