import { LitinkError } from "../errors/index.ts";

/** The error for a key with no object behind it. */
export function objectNotFound(key: string, cause?: unknown): LitinkError {
  return new LitinkError("storage.not_found", `no object stored under "${key}"`, { details: { key }, cause });
}
