import { LitinkError } from "../errors/index.ts";

/** Thrown by a handler for a failure no retry can fix: the queue fails the job at once. */
export class UnrecoverableJobError extends LitinkError {
  override readonly name = "UnrecoverableJobError";
  constructor(message: string, cause?: unknown) {
    super("queue.unrecoverable", message, { cause });
  }
}

/** Whether a retry of the job may succeed: not for unrecoverable errors or non-retryable user errors. */
export function isRetryableJobError(error: unknown): boolean {
  if (error instanceof UnrecoverableJobError) return false;
  if (error instanceof LitinkError) return error.retryable || !error.userFacing;
  return true;
}

/** Codes of a run's abort reason that end the job for good (cancelled by a user, queue closed for good). */
const FINAL_ABORTS = new Set(["queue.cancelled", "queue.closed"]);
/** Code of the abort reason of a job a shutting-down worker hands back to the queue. */
export const HANDED_BACK = "queue.handed_back";

/** Whether a failure (or a run's abort reason) ends the job at once, attempts left or not. */
export function isFinalFailure(reason: unknown): boolean {
  return !isRetryableJobError(reason) || (reason instanceof LitinkError && FINAL_ABORTS.has(reason.code));
}

/**
 * Whether the queue will run a job again after its handler failed with `error` on `attempt` of
 * `attempts`: the rule the queues apply (the abort reason counts when the run was aborted; a job handed
 * back by a worker shutting down always runs again).
 */
export function willRunAgain(
  error: unknown,
  run: { readonly attempt: number; readonly signal: AbortSignal },
  attempts: number,
): boolean {
  const reason: unknown = run.signal.aborted ? run.signal.reason : error;
  if (reason instanceof LitinkError && reason.code === HANDED_BACK) return true;
  return !isFinalFailure(reason) && run.attempt < attempts;
}
