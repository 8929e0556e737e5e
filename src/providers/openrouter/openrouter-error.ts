import type { CallContext, ErrorResponse } from "../http/index.ts";
import { kindFromStatus, parseRetryAfter, secondsToMs } from "../http/index.ts";
import { ProviderError, type ProviderErrorKind } from "../provider-error.ts";
import { type OpenRouterErrorObject, openRouterErrorBodySchema } from "./openrouter-api-types.ts";

/**
 * Maps an OpenRouter error answer to a ProviderError: 400/422 bad request, 401 auth, 402 no credits,
 * 403 moderation (guardrails and moderation flags), 404 not found (no endpoints, retired model),
 * 408 timeout, 413 too large, 429 rate limited (with `Retry-After` or `error.availability.retry_after`),
 * 5xx/52x server. 402 and 403 are not retryable; 408/429/5xx are.
 */
export function mapOpenRouterError(response: ErrorResponse, context: CallContext): ProviderError {
  const parsed = openRouterErrorBodySchema.safeParse(response.json);
  const error = parsed.success ? parsed.data.error : undefined;
  return openRouterError(context, response.status, error, response.headers);
}

/** Builds the ProviderError for an error object (from an error body or a failed choice). */
export function openRouterError(
  context: CallContext,
  status: number,
  error: OpenRouterErrorObject | undefined,
  headers?: Headers,
): ProviderError {
  const errorType = error?.metadata?.error_type ?? error?.error_type;
  const kind = kindForOpenRouter(status, errorType);
  const retryAfterMs =
    parseRetryAfter(headers?.get("retry-after"), context.clock.now()) ??
    secondsToMs(error?.availability?.retry_after);
  const reasons = error?.metadata?.reasons?.length ? ` (${error.metadata.reasons.join(", ")})` : "";
  const message = error?.message ?? `HTTP ${status}`;
  return new ProviderError(`openrouter: ${context.modelId ?? "request"}: ${message}${reasons}`, {
    provider: context.provider,
    modelId: context.modelId,
    kind,
    status,
    providerCode:
      errorType ?? (error?.code === undefined || error.code === null ? undefined : String(error.code)),
    retryAfterMs,
  });
}

function kindForOpenRouter(status: number, errorType: string | undefined): ProviderErrorKind {
  switch (errorType) {
    case "rate_limit_exceeded":
      return "rate_limited";
    case "provider_overloaded":
    case "provider_unavailable":
    case "server":
    case "unmapped":
      return "server";
    case "timeout":
      return "timeout";
    case "payment_required":
      return "no_credits";
    case "content_policy_violation":
    case "refusal":
      return "moderation";
    case "context_length_exceeded":
    case "max_tokens_exceeded":
    case "token_limit_exceeded":
    case "string_too_long":
      return "bad_request";
    default:
      return kindFromStatus(status);
  }
}
