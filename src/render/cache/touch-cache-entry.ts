import { stat, utimes } from "node:fs/promises";
import { isGone } from "./folder-size.ts";

/**
 * Marks a render cache entry as just used, for the least-recently-used pruner (which orders entries
 * by modification time: `atime` is unreliable under `noatime`/`relatime`). Call it on every cache
 * hit, on the file whose presence makes the hit (a segment's `.mp4`, a track's `.m4a`, a chunk's
 * `.json`). Resolves false when the file is gone (pruned meanwhile: treat it as a miss); any other
 * failure (a read-only cache) is ignored, since a hit must never fail because it could not be marked.
 *
 * @example
 * // In audio-track.ts: a finished track is a hit only if it is still there once marked.
 * const hit = (await exists(finished)) && (await touchCacheEntry(finished));
 */
export async function touchCacheEntry(file: string): Promise<boolean> {
  const now = new Date();
  try {
    await utimes(file, now, now);
    return true;
  } catch (error) {
    return !isGone(error);
  }
}

/**
 * A cache lookup on one file: whether `file` is there and not empty (a finished entry), marked as
 * just used (see {@link touchCacheEntry}) when it is.
 */
export async function hitCacheFile(file: string): Promise<boolean> {
  try {
    if ((await stat(file)).size === 0) return false;
  } catch {
    return false;
  }
  return touchCacheEntry(file);
}
