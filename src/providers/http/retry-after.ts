/**
 * Parses an HTTP `Retry-After` value (delta seconds or an HTTP date) into milliseconds from `nowMs`.
 * Returns undefined for a missing or unreadable value; a date in the past gives 0.
 *
 * @example parseRetryAfter("30", Date.now()) // 30000
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Seconds as found in a JSON body (`retry_after: 30`, `"30"`) into milliseconds, or undefined. */
export function secondsToMs(value: unknown): number | undefined {
  const seconds = typeof value === "string" ? Number(value) : value;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.round(seconds * 1000);
}
