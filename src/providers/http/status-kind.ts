import type { ProviderErrorKind } from "../provider-error.ts";

/**
 * The default classification of an HTTP error status; provider error mappers refine it with the body.
 * 408 and 504 are timeouts, 429 is a rate limit, other 5xx (and the 52x edge codes) are server errors.
 */
export function kindFromStatus(status: number): ProviderErrorKind {
  if (status === 401) return "auth";
  if (status === 402) return "no_credits";
  if (status === 403) return "moderation";
  if (status === 404 || status === 410) return "not_found";
  if (status === 408 || status === 504 || status === 524) return "timeout";
  if (status === 413) return "too_large";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server";
  return "bad_request";
}
