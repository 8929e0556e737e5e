import { ProviderError } from "../provider-error.ts";

/** The name every local model reports as its provider. */
export const LOCAL_PROVIDER_NAME = "local";

/** A `provider.unsupported` error of the local provider. */
export function localUnsupported(message: string, modelId?: string): ProviderError {
  return new ProviderError(message, { provider: LOCAL_PROVIDER_NAME, modelId, kind: "unsupported" });
}
