import type { AppConfig } from "../config/index.ts";
import { createElevenLabs } from "./elevenlabs/index.ts";
import type { Clock, FetchFunction } from "./http/index.ts";
import { createModelsLab } from "./modelslab/index.ts";
import { createOpenRouter } from "./openrouter/index.ts";
import type { Provider } from "./types.ts";

/** Plumbing shared by the remote providers built by {@link createRemoteProviders}. */
export interface RemoteProviderOptions {
  /** @defaultValue globalThis.fetch */
  readonly fetch?: FetchFunction | undefined;
  readonly clock?: Clock | undefined;
}

/**
 * Builds the remote providers whose API key is configured (openrouter, modelslab, elevenlabs, in that
 * order), pointed at their configured base URLs (a fake server's, in tests). No key, no provider.
 */
export function createRemoteProviders(
  providers: AppConfig["providers"],
  options: RemoteProviderOptions = {},
): Provider[] {
  const built: Provider[] = [];
  const common = { fetch: options.fetch, clock: options.clock };
  const { openrouter, modelslab, elevenlabs } = providers;
  if (openrouter.apiKey)
    built.push(createOpenRouter({ apiKey: openrouter.apiKey, baseURL: openrouter.baseUrl, ...common }));
  if (modelslab.apiKey)
    built.push(createModelsLab({ apiKey: modelslab.apiKey, baseURL: modelslab.baseUrl, ...common }));
  if (elevenlabs.apiKey)
    built.push(createElevenLabs({ apiKey: elevenlabs.apiKey, baseURL: elevenlabs.baseUrl, ...common }));
  return built;
}
