/** Requests per minute and concurrent requests allowed for one provider or model. */
export interface RateLimit {
  readonly requestsPerMinute: number;
  readonly maxConcurrent: number;
}

/** The resilience settings of the router. Every field has a default in {@link DEFAULT_ROUTER_POLICY}. */
export interface RouterPolicyOptions {
  /** Per-attempt timeout, by capability (image-to-video is slow, text is not). */
  readonly timeoutMs: { readonly default: number } & Readonly<Partial<Record<string, number>>>;
  /** Tries of one model before moving down the chain (1 = no retry). */
  readonly maxAttemptsPerModel: number;
  /** Exponential backoff: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))]. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * A Retry-After longer than this is not waited for: the router moves to the next model and keeps the
   * rate-limited one aside until the time has passed.
   */
  readonly maxRetryAfterMs: number;
  /** Consecutive failures that open a model's circuit breaker. */
  readonly breakerThreshold: number;
  /** How long an open breaker stays open before one half-open probe. */
  readonly breakerCooldownMs: number;
  /**
   * Rate limits: `default` for any model, then per provider (`openrouter`) and per model
   * (`openrouter/openai/gpt-4o`); the most specific wins. Both the provider and the model limit apply.
   */
  readonly rateLimits: { readonly default: RateLimit } & Readonly<Partial<Record<string, RateLimit>>>;
  /** How long a user's cached month-to-date cost is trusted before it is read again from the ledger. */
  readonly monthToDateRefreshMs: number;
}

/** Production defaults, sized for the remote providers' public limits. */
export const DEFAULT_ROUTER_POLICY: RouterPolicyOptions = {
  timeoutMs: { default: 120_000, script: 120_000, image: 180_000, video: 600_000, lip_sync: 600_000 },
  maxAttemptsPerModel: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 10_000,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
  rateLimits: {
    default: { requestsPerMinute: 600, maxConcurrent: 16 },
    openrouter: { requestsPerMinute: 300, maxConcurrent: 16 },
    modelslab: { requestsPerMinute: 120, maxConcurrent: 8 },
    elevenlabs: { requestsPerMinute: 120, maxConcurrent: 4 },
    local: { requestsPerMinute: 100_000, maxConcurrent: 64 },
  },
  monthToDateRefreshMs: 60_000,
};
