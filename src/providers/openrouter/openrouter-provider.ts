import type { Capability } from "../../config/index.ts";
import {
  assertCapability,
  type ProviderSettings,
  systemClock,
  trimBaseURL,
  unsupportedError,
} from "../http/index.ts";
import type { ModelByCapability, Provider } from "../types.ts";
import { OpenRouterTextModel, type OpenRouterTextSettings } from "./openrouter-text-model.ts";

/** Settings of {@link createOpenRouter}. */
export interface OpenRouterSettings extends ProviderSettings {
  /** Sent as `X-OpenRouter-Title` / `X-Title` for attribution. @defaultValue "LitinkAI" */
  readonly appName?: string | undefined;
  /** Sent as `HTTP-Referer` for attribution. */
  readonly appUrl?: string | undefined;
  /** Settings applied to every text model (fallback `models`, `provider` preferences). */
  readonly textDefaults?: OpenRouterTextSettings | undefined;
}

/** OpenRouter: text generation (`script`). */
export interface OpenRouterProvider extends Provider {
  /** A text model with its own fallback list or routing preferences. */
  textModel(modelId: string, settings?: OpenRouterTextSettings): OpenRouterTextModel;
}

/** The public OpenRouter API. */
export const OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1";

const SUPPORTS = { script: ["schema", "maxOutputTokens", "temperature", "seed"] } as const;

/**
 * Creates the OpenRouter provider (`Authorization: Bearer` key, OpenAI-compatible chat completions).
 *
 * @example
 * const openrouter = createOpenRouter({ apiKey: process.env.OPENROUTER_API_KEY! });
 * const result = await openrouter.model("script", "openai/gpt-4o-mini").generate({ messages });
 */
export function createOpenRouter(settings: OpenRouterSettings): OpenRouterProvider {
  const headers: Record<string, string> = {
    authorization: `Bearer ${settings.apiKey}`,
    "x-openrouter-title": settings.appName ?? "LitinkAI",
    "x-title": settings.appName ?? "LitinkAI",
    ...(settings.appUrl ? { "http-referer": settings.appUrl } : {}),
  };
  const provider: OpenRouterProvider = {
    name: "openrouter",
    supports: SUPPORTS,
    textModel(modelId, textSettings) {
      return new OpenRouterTextModel(
        modelId,
        {
          provider,
          baseURL: trimBaseURL(settings.baseURL ?? OPENROUTER_BASE_URL),
          headers,
          fetch: settings.fetch ?? globalThis.fetch,
          clock: settings.clock ?? systemClock,
        },
        { ...settings.textDefaults, ...textSettings },
      );
    },
    model<C extends Capability>(capability: C, modelId: string): ModelByCapability[C] {
      assertCapability(provider, capability, modelId);
      if (capability === "script") return provider.textModel(modelId) as unknown as ModelByCapability[C];
      throw unsupportedError("openrouter", modelId, `the ${capability} capability`);
    },
  };
  return provider;
}
