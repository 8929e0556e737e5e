import { ProviderError } from "../provider-error.ts";
import type { CallContext } from "./call-context.ts";

/**
 * Calls `fetch`, turning transport failures into {@link ProviderError}s: a timeout abort
 * (`AbortSignal.timeout`, or a signal aborted with a `TimeoutError`) becomes `timeout`, a refused or
 * reset connection becomes `network`. Any other abort (the user cancelled) rethrows the signal's reason
 * untouched, so nobody retries a cancellation.
 */
export async function sendRequest(context: CallContext, url: string, init: RequestInit): Promise<Response> {
  try {
    return await context.fetch(url, { ...init, signal: context.signal ?? null });
  } catch (error) {
    throw transportError(context, error, `${init.method ?? "GET"} ${describeUrl(url)}`);
  }
}

/**
 * Classifies an error thrown while sending a request or reading its body.
 * Returns the error to throw (a ProviderError, or the caller's own abort reason).
 */
export function transportError(context: CallContext, error: unknown, what: string): unknown {
  if (error instanceof ProviderError) return error;
  const signal = context.signal;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (isTimeoutReason(reason)) {
      return new ProviderError(`${context.provider}: ${what} timed out`, {
        provider: context.provider,
        modelId: context.modelId,
        kind: "timeout",
        cause: reason,
      });
    }
    return reason;
  }
  if (isTimeoutReason(error)) {
    return new ProviderError(`${context.provider}: ${what} timed out`, {
      provider: context.provider,
      modelId: context.modelId,
      kind: "timeout",
      cause: error,
    });
  }
  const detail = error instanceof Error ? describeCause(error) : String(error);
  return new ProviderError(`${context.provider}: ${what} failed: ${detail}`, {
    provider: context.provider,
    modelId: context.modelId,
    kind: "network",
    cause: error,
  });
}

function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === "TimeoutError";
}

function describeCause(error: Error): string {
  const cause = error.cause;
  if (cause instanceof Error && cause.message) return `${error.message} (${cause.message})`;
  return error.message;
}

/** A URL for messages: scheme, host and path only (query strings may hold keys). */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
