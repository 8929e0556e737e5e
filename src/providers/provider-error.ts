import { LitinkError } from "../errors/index.ts";
import type { Micros } from "../money/index.ts";

/**
 * Why a provider call failed. The router decides from the kind (and `retryable`), never from text:
 * - `rate_limited`, `server`, `timeout`, `network`: transient, worth a retry or the next model;
 * - `auth`, `no_credits`, `moderation`, `bad_request`, `not_found`, `unsupported`, `invalid_response`,
 *   `too_large`: permanent for this model and request.
 */
export type ProviderErrorKind =
  | "auth"
  | "no_credits"
  | "moderation"
  | "bad_request"
  | "not_found"
  | "rate_limited"
  | "server"
  | "timeout"
  | "network"
  | "invalid_response"
  | "too_large"
  | "unsupported";

const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  "rate_limited",
  "server",
  "timeout",
  "network",
]);

/** Fields of a {@link ProviderError} beyond its message. */
export interface ProviderErrorOptions {
  readonly provider: string;
  readonly modelId?: string | undefined;
  readonly kind: ProviderErrorKind;
  /** HTTP status when the provider answered. */
  readonly status?: number | undefined;
  /** The provider's own error code or type, for logs. */
  readonly providerCode?: string | undefined;
  /** How long the provider asked us to wait (Retry-After, retry_after), in milliseconds. */
  readonly retryAfterMs?: number | undefined;
  /**
   * What the failed call was billed all the same, when the provider reported it (e.g. an OpenRouter reply
   * that stayed invalid after its repair request: both completions were charged), so the ledger stays exact.
   */
  readonly incurredCostMicros?: Micros | undefined;
  readonly cause?: unknown;
}

/**
 * A failed call to an AI provider, with the classification the router acts on.
 * `code` is `provider.<kind>`, e.g. `provider.rate_limited`.
 */
export class ProviderError extends LitinkError {
  override readonly name = "ProviderError";
  readonly provider: string;
  readonly modelId: string | undefined;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly providerCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly incurredCostMicros: Micros | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super(`provider.${options.kind}`, message, {
      cause: options.cause,
      retryable: RETRYABLE_KINDS.has(options.kind),
      details: {
        provider: options.provider,
        modelId: options.modelId,
        status: options.status,
        providerCode: options.providerCode,
        retryAfterMs: options.retryAfterMs,
        incurredCostMicros: options.incurredCostMicros,
      },
    });
    this.provider = options.provider;
    this.modelId = options.modelId;
    this.kind = options.kind;
    this.status = options.status;
    this.providerCode = options.providerCode;
    this.retryAfterMs = options.retryAfterMs;
    this.incurredCostMicros = options.incurredCostMicros;
  }
}

/** Whether `error` is a {@link ProviderError}. */
export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
