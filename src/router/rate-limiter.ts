import type { RateLimit } from "./router-policy-options.ts";

interface Bucket {
  readonly limit: RateLimit;
  tokens: number;
  refilledAt: number;
  inFlight: number;
  /** No new request before this time (a provider's Retry-After). */
  blockedUntil: number;
}

/**
 * Requests-per-minute (a token bucket refilled continuously) and concurrent-request limits for each
 * provider and each model. It never waits: `tryAcquire` answers at once, so the router can divert a call
 * to the next model of the chain instead of queueing it.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #limitFor: (key: string) => RateLimit;
  readonly #now: () => number;

  /**
   * @param limitFor the limit of a key (`openrouter` or `openrouter/openai/gpt-4o`)
   * @param now milliseconds since the epoch
   */
  constructor(limitFor: (key: string) => RateLimit, now: () => number) {
    this.#limitFor = limitFor;
    this.#now = now;
  }

  /**
   * Takes one request slot from the provider's and the model's limits, or none when either is exhausted.
   * `afterRetryAfter` is for the caller that just waited out the model's Retry-After itself: the block
   * it caused no longer applies to it (timers may fire a hair early), the other limits still do.
   * @returns a release function to call when the request ends, or undefined when rate-limited
   */
  tryAcquire(provider: string, model: string, afterRetryAfter = false): (() => void) | undefined {
    const now = this.#now();
    const buckets = [this.#bucket(provider, now), this.#bucket(`${provider}/${model}`, now)];
    for (const bucket of buckets) {
      refill(bucket, now);
      if (
        (!afterRetryAfter && bucket.blockedUntil > now) ||
        bucket.tokens < 1 ||
        bucket.inFlight >= bucket.limit.maxConcurrent
      ) {
        return undefined;
      }
    }
    for (const bucket of buckets) {
      bucket.tokens -= 1;
      bucket.inFlight += 1;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const bucket of buckets) bucket.inFlight -= 1;
    };
  }

  /** Keeps a model aside until `ms` from now (the provider answered 429 with Retry-After). */
  block(provider: string, model: string, ms: number): void {
    const now = this.#now();
    const bucket = this.#bucket(`${provider}/${model}`, now);
    bucket.blockedUntil = Math.max(bucket.blockedUntil, now + ms);
  }

  #bucket(key: string, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      const limit = this.#limitFor(key);
      bucket = { limit, tokens: limit.requestsPerMinute, refilledAt: now, inFlight: 0, blockedUntil: 0 };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }
}

function refill(bucket: Bucket, now: number): void {
  const elapsed = now - bucket.refilledAt;
  if (elapsed <= 0) return;
  const capacity = bucket.limit.requestsPerMinute;
  bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * capacity) / 60_000);
  bucket.refilledAt = now;
}
