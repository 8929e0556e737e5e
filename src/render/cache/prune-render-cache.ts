import { rm, unlink } from "node:fs/promises";
import { isGone, lstatOrUndefined } from "./folder-size.ts";
import { type RenderCacheEntry, scanRenderCache } from "./render-cache-layout.ts";

/** Entries used this recently are never evicted: a running render may still need them. */
const DEFAULT_ENTRY_GRACE_MS = 60 * 60 * 1000;
/** Work folders and partial files untouched this long are leftovers of killed runs. */
export const DEFAULT_LEFTOVER_AGE_MS = 24 * 60 * 60 * 1000;

/** Options of {@link pruneRenderCache}. */
export interface PruneRenderCacheOptions {
  /** Size to bring the cache folder under; undefined removes only leftovers. */
  readonly maxBytes: number | undefined;
  /** @defaultValue {@link DEFAULT_ENTRY_GRACE_MS} (one hour) */
  readonly graceMs?: number | undefined;
  /** @defaultValue {@link DEFAULT_LEFTOVER_AGE_MS} (one day) */
  readonly leftoverAgeMs?: number | undefined;
  /** The clock. @defaultValue Date.now */
  readonly now?: (() => number) | undefined;
}

/** What {@link pruneRenderCache} did. */
export interface PruneRenderCacheResult {
  readonly maxBytes: number | undefined;
  /** Everything under the cache folder before and after (entries, temporary items, other files). */
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly removedEntries: number;
  readonly removedEntryBytes: number;
  /** Work folders and partial files of killed runs. */
  readonly removedLeftovers: number;
  readonly removedLeftoverBytes: number;
  /** Bytes of entries kept because they were used within the grace period. */
  readonly protectedBytes: number;
  /** Whether the cache is still over `maxBytes` (what is left is in use or not a cache entry). */
  readonly overBudget: boolean;
  /** Files that could not be removed (permissions, …), with the reason; the rest was still pruned. */
  readonly failures: readonly { readonly path: string; readonly message: string }[];
}

/**
 * Prunes the render cache folder `cacheDir`: removes work folders and partial files untouched for
 * `leftoverAgeMs` (leftovers of killed runs), then, while the folder is over `maxBytes`, removes whole
 * entries (a file with its sidecars) least recently used first, by modification time, which renders
 * refresh on every hit. Entries used within `graceMs` are kept, as are younger temporary items:
 * running renders may be using them. Safe while renders and other pruners run: files that vanish are
 * skipped, and an entry whose files changed since the scan (reused or rebuilt) is left alone.
 */
export async function pruneRenderCache(
  cacheDir: string,
  options: PruneRenderCacheOptions,
): Promise<PruneRenderCacheResult> {
  const now = (options.now ?? Date.now)();
  const graceMs = options.graceMs ?? DEFAULT_ENTRY_GRACE_MS;
  const leftoverAgeMs = options.leftoverAgeMs ?? DEFAULT_LEFTOVER_AGE_MS;
  const failures: { path: string; message: string }[] = [];
  const scan = await scanRenderCache(cacheDir);
  const bytesBefore =
    sum(scan.entries.map((entry) => entry.bytes)) +
    sum(scan.temporary.map((item) => item.bytes)) +
    scan.other.bytes;
  let total = bytesBefore;
  let removedLeftovers = 0;
  let removedLeftoverBytes = 0;
  for (const item of scan.temporary) {
    if (now - item.lastModifiedMs < leftoverAgeMs) continue;
    try {
      await rm(item.path, { recursive: true, force: true });
      removedLeftovers += 1;
      removedLeftoverBytes += item.bytes;
      total -= item.bytes;
    } catch (error) {
      failures.push({ path: item.path, message: (error as Error).message });
    }
  }
  let removedEntries = 0;
  let removedEntryBytes = 0;
  let protectedBytes = 0;
  const byAge = [...scan.entries].sort((a, b) => a.lastUsedMs - b.lastUsedMs);
  for (const entry of byAge) {
    if (options.maxBytes === undefined || total <= options.maxBytes) break;
    if (now - entry.lastUsedMs < graceMs) {
      protectedBytes += entry.bytes;
      continue;
    }
    const removed = await removeEntry(entry, failures);
    if (removed.complete) removedEntries += 1;
    removedEntryBytes += removed.bytes;
    total -= removed.bytes;
  }
  return {
    maxBytes: options.maxBytes,
    bytesBefore,
    bytesAfter: total,
    removedEntries,
    removedEntryBytes,
    removedLeftovers,
    removedLeftoverBytes,
    protectedBytes,
    overBudget: options.maxBytes !== undefined && total > options.maxBytes,
    failures,
  };
}

/**
 * Removes an entry's files, the one that makes a cache hit first. Each file is checked against the
 * scan just before it goes: a file touched (reused) or replaced (rebuilt) since then stops the removal,
 * so an entry a render has just taken up stays whole.
 */
async function removeEntry(
  entry: RenderCacheEntry,
  failures: { path: string; message: string }[],
): Promise<{ bytes: number; complete: boolean }> {
  let bytes = 0;
  for (const file of entry.files) {
    const now = await lstatOrUndefined(file.path);
    if (!now) continue;
    if (now.mtimeMs !== file.mtimeMs || now.ino !== file.ino) return { bytes, complete: false };
    try {
      await unlink(file.path);
      bytes += file.bytes;
    } catch (error) {
      if (isGone(error)) continue;
      failures.push({ path: file.path, message: (error as Error).message });
      return { bytes, complete: false };
    }
  }
  return { bytes, complete: true };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
