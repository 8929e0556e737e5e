import type { Capability } from "../../config/index.ts";
import { ProviderError } from "../provider-error.ts";
import type { Provider, RequestByCapability } from "../types.ts";

/**
 * The optional request fields of each capability that a provider may or may not honour; a provider lists
 * the ones it supports in `Provider.supports`. (`task` is absent on purpose: remote LLMs ignore it.)
 */
export const OPTIONAL_FIELDS: {
  readonly [C in Capability]: readonly (keyof RequestByCapability[C] & string)[];
} = {
  script: ["schema", "maxOutputTokens", "temperature", "seed"],
  image: ["negativePrompt", "seed", "style", "referenceImages"],
  video: ["prompt", "fps", "seed"],
  voice: ["language", "speed", "seed"],
  voice_clone: ["description"],
  lip_sync: [],
};

/** The `provider.unsupported` error, raised before any call. */
export function unsupportedError(provider: string, modelId: string | undefined, what: string): ProviderError {
  return new ProviderError(`${provider}: ${what} is not supported${modelId ? ` by ${modelId}` : ""}`, {
    provider,
    modelId,
    kind: "unsupported",
  });
}

/** Throws `provider.unsupported` when `provider` does not declare `capability`. */
export function assertCapability(
  provider: Pick<Provider, "name" | "supports">,
  capability: Capability,
  modelId: string,
) {
  if (!provider.supports[capability]) {
    throw unsupportedError(provider.name, modelId, `the ${capability} capability`);
  }
}

/**
 * Throws `provider.unsupported` (before any call) when `request` sets an optional field that `provider`
 * does not list for `capability`. Empty arrays count as unset.
 */
export function assertOptionsSupported<C extends Capability>(
  provider: Pick<Provider, "name" | "supports">,
  capability: C,
  modelId: string,
  request: RequestByCapability[C],
): void {
  const supported = provider.supports[capability];
  if (!supported) throw unsupportedError(provider.name, modelId, `the ${capability} capability`);
  for (const field of OPTIONAL_FIELDS[capability]) {
    const value: unknown = request[field as keyof RequestByCapability[C]];
    const isSet = Array.isArray(value) ? value.length > 0 : value !== undefined;
    if (isSet && !supported.includes(field)) {
      throw unsupportedError(provider.name, modelId, `the ${capability} option "${field}"`);
    }
  }
}
