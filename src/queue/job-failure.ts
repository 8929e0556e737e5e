import { LitinkError } from "../errors/index.ts";

const MARKER = "litink-error:";

/**
 * Encodes a handler's error as the text BullMQ stores as `failedReason`, keeping the LitinkError fields
 * (code, retryable, userFacing) so the submitting process, possibly on another machine, rethrows the
 * same kind of error.
 */
export function encodeJobFailure(error: unknown): string {
  const fields =
    error instanceof LitinkError
      ? { code: error.code, message: error.message, retryable: error.retryable, userFacing: error.userFacing }
      : { code: "queue.job_failed", message: error instanceof Error ? error.message : String(error) };
  return `${MARKER}${JSON.stringify(fields)}`;
}

/** Rebuilds the error of {@link encodeJobFailure}; any other text (e.g. BullMQ's own) becomes `queue.job_failed`. */
export function decodeJobFailure(failedReason: string | undefined, jobType: string): LitinkError {
  const text = failedReason ?? "";
  if (text.startsWith(MARKER)) {
    try {
      const fields = JSON.parse(text.slice(MARKER.length)) as {
        code?: unknown;
        message?: unknown;
        retryable?: unknown;
        userFacing?: unknown;
      };
      if (typeof fields.code === "string" && typeof fields.message === "string") {
        return new LitinkError(fields.code, fields.message, {
          retryable: fields.retryable === true,
          userFacing: fields.userFacing === true,
        });
      }
    } catch {
      // Not our envelope after all: fall through to the generic error.
    }
  }
  return new LitinkError("queue.job_failed", `job ${jobType} failed: ${text || "no reason given"}`);
}
