import { createHash } from "node:crypto";

/**
 * Bump when the meaning of cached outputs changes (a stage computes something different from the same
 * inputs), so old cache entries are no longer found.
 */
const PIPELINE_CACHE_VERSION = 1;

/**
 * The content address of a stage output: `<kind>-<sha256 of the canonical JSON of its inputs>`.
 * Everything that changes the output (text, model chain, voice, seed, size, prompt template version…)
 * must be in `inputs`; nothing else may be (no user id, no job id), so equal work is shared.
 */
export function inputKey(kind: string, inputs: unknown): string {
  const hash = createHash("sha256")
    .update(canonicalJson({ kind, version: PIPELINE_CACHE_VERSION, inputs }))
    .digest("hex");
  return `${kind}-${hash}`;
}

/** JSON with object keys sorted at every depth, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** SHA-256 of bytes, lowercase hex. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}
