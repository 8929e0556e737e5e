import type { CallContext, ErrorResponse } from "../http/index.ts";
import { kindFromStatus, parseRetryAfter } from "../http/index.ts";
import { ProviderError, type ProviderErrorKind } from "../provider-error.ts";
import { elevenLabsErrorBodySchema } from "./elevenlabs-api-types.ts";

/**
 * Maps an ElevenLabs error answer to a ProviderError. The code (`detail.code`, else `detail.status`) wins
 * over the HTTP status, which ElevenLabs uses inconsistently (e.g. `quota_exceeded` arrives as 401).
 */
export function mapElevenLabsError(response: ErrorResponse, context: CallContext): ProviderError {
  const parsed = elevenLabsErrorBodySchema.safeParse(response.json);
  const detail = parsed.success ? parsed.data.detail : undefined;
  let code: string | undefined;
  let message = `HTTP ${response.status}`;
  if (typeof detail === "string") {
    message = detail;
  } else if (Array.isArray(detail)) {
    message = detail
      .map((item) => `${item.loc?.join(".") ?? "request"}: ${item.msg ?? "invalid"}`)
      .join("; ");
  } else if (detail) {
    code = detail.code ?? detail.status;
    message = detail.message ?? code ?? message;
  }
  return new ProviderError(`elevenlabs: ${context.modelId ?? "request"}: ${message}`, {
    provider: context.provider,
    modelId: context.modelId,
    kind: kindForElevenLabs(response.status, code),
    status: response.status,
    providerCode: code,
    retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), context.clock.now()),
  });
}

function kindForElevenLabs(status: number, code: string | undefined): ProviderErrorKind {
  switch (code) {
    case "quota_exceeded":
    case "payment_required":
    case "insufficient_credits":
      return "no_credits";
    case "invalid_api_key":
    case "missing_api_key":
    case "only_for_creator+":
    case "needs_authorization":
      return "auth";
    case "voice_not_found":
    case "model_not_found":
      return "not_found";
    case "too_many_concurrent_requests":
    case "concurrent_limit_exceeded":
    case "system_busy":
    case "rate_limit_exceeded":
      return "rate_limited";
    case "max_character_limit_exceeded":
    case "invalid_request":
      return "bad_request";
    default:
      // 403 at ElevenLabs means a plan feature, not moderation.
      return status === 403 ? "auth" : kindFromStatus(status);
  }
}
