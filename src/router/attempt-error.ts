import { TaskCancelledError } from "cockatiel";
import type { ChainEntry } from "../config/index.ts";
import { isProviderError, ProviderError } from "../providers/index.ts";

/**
 * Any failure of an attempt as a ProviderError the router can act on: a cockatiel timeout becomes
 * `provider.timeout` (retryable); anything else a provider threw that is not a ProviderError (a bug, an
 * unexpected exception) becomes `provider.invalid_response`, which moves on to the next model.
 */
export function toAttemptError(
  error: unknown,
  entry: ChainEntry,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): ProviderError {
  if (isProviderError(error)) return error;
  if (error instanceof TaskCancelledError && signal?.aborted !== true) {
    return new ProviderError(`${entry.provider}/${entry.model} did not answer within ${timeoutMs} ms`, {
      provider: entry.provider,
      modelId: entry.model,
      kind: "timeout",
      cause: error,
    });
  }
  return new ProviderError(
    `${entry.provider}/${entry.model} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    { provider: entry.provider, modelId: entry.model, kind: "invalid_response", cause: error },
  );
}
