import type { CallContext, ErrorResponse } from "../http/index.ts";
import { kindFromStatus, parseRetryAfter, secondsToMs } from "../http/index.ts";
import { ProviderError, type ProviderErrorKind } from "../provider-error.ts";
import { modelsLabEnvelopeSchema } from "./modelslab-api-types.ts";

/**
 * Maps a ModelsLab HTTP error (400 bad request, 401 invalid key, 402 credits, 403 subscription feature,
 * 429 queue full with `retry_after` in the body, 5xx) to a ProviderError.
 */
export function mapModelsLabError(response: ErrorResponse, context: CallContext): ProviderError {
  const parsed = modelsLabEnvelopeSchema.safeParse(response.json);
  const body = parsed.success ? parsed.data : undefined;
  const message = body ? messageOf(body) : undefined;
  const retryAfterMs =
    parseRetryAfter(response.headers.get("retry-after"), context.clock.now()) ??
    secondsToMs(body?.retry_after);
  // 403 at ModelsLab is "this feature requires a premium subscription", an account problem, not moderation.
  const kind: ProviderErrorKind = response.status === 403 ? "auth" : kindFromStatus(response.status);
  return modelsLabError(context, kind, message ?? `HTTP ${response.status}`, response.status, retryAfterMs);
}

/**
 * Classifies an error reported in the body (`status: "error"` or `"failed"`, often with HTTP 200), where
 * the message is all ModelsLab gives. `whileProcessing` marks a job that failed after being accepted.
 */
export function modelsLabBodyError(
  context: CallContext,
  body: {
    readonly message?: unknown;
    readonly messege?: unknown;
    readonly retry_after?: unknown;
    readonly status: string;
  },
  httpStatus: number,
  whileProcessing: boolean,
): ProviderError {
  const message = messageOf(body) ?? `status "${body.status}"`;
  const kind = kindFromMessage(message) ?? (whileProcessing ? "server" : "bad_request");
  return modelsLabError(context, kind, message, httpStatus, secondsToMs(body.retry_after));
}

function modelsLabError(
  context: CallContext,
  kind: ProviderErrorKind,
  message: string,
  status: number,
  retryAfterMs: number | undefined,
): ProviderError {
  return new ProviderError(`modelslab: ${context.modelId ?? "request"}: ${message}`, {
    provider: context.provider,
    modelId: context.modelId,
    kind,
    status,
    retryAfterMs,
  });
}

/** The human message of a body, wherever (and however spelled) it is. */
function messageOf(body: { readonly message?: unknown; readonly messege?: unknown }): string | undefined {
  const value = body.message ?? body.messege;
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

// ModelsLab sends no error codes in bodies: the message is the only signal, so it is matched here once.
const MESSAGE_KINDS: readonly [RegExp, ProviderErrorKind][] = [
  [/invalid api key|unauthori[sz]ed|api key/i, "auth"],
  [/insufficient|credit|balance|wallet/i, "no_credits"],
  [/rate limit|too many|queued requests/i, "rate_limited"],
  [/nsfw|safety|moderat|inappropriate|not allowed content/i, "moderation"],
  [/premium subscription|subscription/i, "auth"],
  [/server error|try again|temporar|overloaded|unavailable/i, "server"],
  [/not found/i, "not_found"],
];

function kindFromMessage(message: string): ProviderErrorKind | undefined {
  return MESSAGE_KINDS.find(([pattern]) => pattern.test(message))?.[1];
}
