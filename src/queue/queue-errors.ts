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
