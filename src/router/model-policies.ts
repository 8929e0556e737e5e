import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  IsolatedCircuitError,
  type RetryPolicy,
  retry,
  type TimeoutPolicy,
  TimeoutStrategy,
  timeout,
} from "cockatiel";
import { isProviderError, type ProviderError, type ProviderErrorKind } from "../providers/index.ts";
import type { RouterPolicyOptions } from "./router-policy-options.ts";

/** Failures that say the model (or its provider) is unwell, as opposed to this one request being bad. */
const BREAKER_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  "server",
  "timeout",
  "network",
  "auth",
  "no_credits",
]);

/**
 * The cockatiel policies of every model: one circuit breaker per provider/model (opens after
 * `breakerThreshold` consecutive failures, one half-open probe after `breakerCooldownMs`), one
 * aggressive timeout per capability, and the retry policy deciding which errors are worth another try of
 * the same model.
 *
 * The retry waits are not cockatiel's timers: cockatiel's backoff sleeps on `setTimeout`, which a test
 * cannot drive. The router computes the wait with {@link backoffDelay} (full jitter from an injected
 * random source, never less than Retry-After) and sleeps on its injected `sleep`; cockatiel keeps the
 * loop, the count and the filter.
 */
export class ModelPolicies {
  readonly #options: RouterPolicyOptions;
  readonly #breakers = new Map<string, CircuitBreakerPolicy>();
  readonly #timeouts = new Map<string, TimeoutPolicy>();
  readonly retry: RetryPolicy;

  constructor(options: RouterPolicyOptions) {
    this.#options = options;
    this.retry = retry(
      handleWhen((error) => isProviderError(error) && this.worthRetrying(error)),
      { maxAttempts: Math.max(0, options.maxAttemptsPerModel - 1) },
    );
  }

  /** Whether the same model should be tried again after `error` (transient, and no long Retry-After). */
  worthRetrying(error: ProviderError): boolean {
    if (!error.retryable) return false;
    return error.retryAfterMs === undefined || error.retryAfterMs <= this.#options.maxRetryAfterMs;
  }

  /** The breaker of one model, created on first use. */
  breaker(provider: string, model: string): CircuitBreakerPolicy {
    const key = `${provider}/${model}`;
    let breaker = this.#breakers.get(key);
    if (breaker === undefined) {
      breaker = circuitBreaker(
        handleWhen((error) => isProviderError(error) && BREAKER_KINDS.has(error.kind)),
        {
          halfOpenAfter: this.#options.breakerCooldownMs,
          breaker: new ConsecutiveBreaker(this.#options.breakerThreshold),
        },
      );
      this.#breakers.set(key, breaker);
    }
    return breaker;
  }

  /** The breaker state of one model, by name. */
  breakerState(provider: string, model: string): "closed" | "open" | "half-open" | "isolated" {
    const breaker = this.#breakers.get(`${provider}/${model}`);
    switch (breaker?.state ?? CircuitState.Closed) {
      case CircuitState.Closed:
        return "closed";
      case CircuitState.Open:
        return "open";
      case CircuitState.HalfOpen:
        return "half-open";
      case CircuitState.Isolated:
        return "isolated";
    }
  }

  /** The per-attempt timeout of a capability. */
  timeout(capability: string): TimeoutPolicy {
    let policy = this.#timeouts.get(capability);
    if (policy === undefined) {
      const ms = this.#options.timeoutMs[capability] ?? this.#options.timeoutMs.default;
      // abortOnReturn off: aborting a finished call's signal builds an AbortError (a stack capture) on
      // every call, the largest single cost of the router's overhead, and there is nothing left to stop.
      policy = timeout(ms, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
      this.#timeouts.set(capability, policy);
    }
    return policy;
  }

  /** The per-attempt timeout of a capability, in milliseconds. */
  timeoutMs(capability: string): number {
    return this.#options.timeoutMs[capability] ?? this.#options.timeoutMs.default;
  }
}

/** Whether cockatiel refused a call because the model's circuit is open (or held open). */
export function isCircuitOpen(error: unknown): boolean {
  return error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError;
}

/**
 * The wait before retry number `retry` (1 for the first retry): exponential backoff with full jitter,
 * a random time in [0, min(maxDelayMs, baseDelayMs * 2^(retry-1))), and never less than the provider's
 * Retry-After.
 */
export function backoffDelay(
  retryNumber: number,
  options: Pick<RouterPolicyOptions, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retryNumber - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}
