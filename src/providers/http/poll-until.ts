import { ProviderError } from "../provider-error.ts";
import type { CallContext } from "./call-context.ts";

/** One look at an asynchronous job. */
export type PollStep<T> =
  | { readonly done: true; readonly value: T }
  | {
      readonly done: false /** The provider's own estimate of the time left, in ms. */;
      readonly etaMs?: number | undefined;
    };

/** How often and how long to poll. */
export interface PollSchedule {
  /** Wait before the first poll. @defaultValue 1000 */
  readonly initialDelayMs?: number | undefined;
  /** Longest wait between polls. @defaultValue 10000 */
  readonly maxDelayMs?: number | undefined;
  /** Growth of the wait per poll. @defaultValue 2 */
  readonly factor?: number | undefined;
  /** Give up this long after the first call. @defaultValue 300000 (5 minutes) */
  readonly deadlineMs?: number | undefined;
}

/**
 * Polls `step` with exponential backoff (a provider ETA stretches a wait, never past `maxDelayMs`) until
 * it reports done. Passing the deadline is a `timeout` ProviderError naming `jobDescription`, so the caller
 * can tell a slow job from a failed one. The clock and the signal come from `context`.
 */
export async function pollUntil<T>(
  context: CallContext,
  jobDescription: string,
  schedule: PollSchedule,
  step: (attempt: number) => Promise<PollStep<T>>,
  firstEtaMs?: number,
): Promise<T> {
  const initial = schedule.initialDelayMs ?? 1000;
  const maxDelay = schedule.maxDelayMs ?? 10_000;
  const factor = schedule.factor ?? 2;
  const deadline = context.clock.now() + (schedule.deadlineMs ?? 300_000);
  let backoff = initial;
  let eta = firstEtaMs;
  for (let attempt = 1; ; attempt++) {
    const wait = Math.min(maxDelay, Math.max(backoff, eta ?? 0));
    const remaining = deadline - context.clock.now();
    if (remaining <= 0) throw deadlineError(context, jobDescription, schedule.deadlineMs ?? 300_000);
    try {
      await context.clock.sleep(Math.min(wait, remaining), context.signal);
    } catch (error) {
      if (context.signal?.aborted) {
        const reason: unknown = context.signal.reason;
        if (reason instanceof Error && reason.name === "TimeoutError") {
          throw new ProviderError(`${context.provider}: ${jobDescription} timed out while polling`, {
            provider: context.provider,
            modelId: context.modelId,
            kind: "timeout",
            cause: reason,
          });
        }
        throw reason;
      }
      throw error;
    }
    const result = await step(attempt);
    if (result.done) return result.value;
    // One last look happens at the deadline itself, then we give up.
    if (context.clock.now() >= deadline)
      throw deadlineError(context, jobDescription, schedule.deadlineMs ?? 300_000);
    eta = result.etaMs;
    backoff = Math.min(maxDelay, backoff * factor);
  }
}

function deadlineError(context: CallContext, jobDescription: string, deadlineMs: number): ProviderError {
  return new ProviderError(
    `${context.provider}: ${jobDescription} was still processing after ${Math.round(deadlineMs / 1000)} s; it may still finish and be billed`,
    { provider: context.provider, modelId: context.modelId, kind: "timeout" },
  );
}
