import { DEFAULT_LEFTOVER_AGE_MS } from "./prune-render-cache.ts";
import { RENDER_CACHE_KINDS, type RenderCacheKind, scanRenderCache } from "./render-cache-layout.ts";

/** Sizes of the render cache folder by kind (see {@link renderCacheStats}). */
export interface RenderCacheStats {
  readonly kinds: Readonly<Record<RenderCacheKind, { readonly entries: number; readonly bytes: number }>>;
  /** Work folders and partial files; `stale` of them are leftovers a prune removes. */
  readonly temporary: {
    readonly items: number;
    readonly bytes: number;
    readonly stale: number;
    readonly staleBytes: number;
  };
  /** Files that are not cache entries (never pruned). */
  readonly other: { readonly files: number; readonly bytes: number };
  readonly totalBytes: number;
  /** Newest and oldest last use of an entry (ms), undefined when the cache is empty. */
  readonly newestUseMs: number | undefined;
  readonly oldestUseMs: number | undefined;
}

/** Options of {@link renderCacheStats}. */
export interface RenderCacheStatsOptions {
  /** @defaultValue {@link DEFAULT_LEFTOVER_AGE_MS} (one day) */
  readonly leftoverAgeMs?: number | undefined;
  /** The clock. @defaultValue Date.now */
  readonly now?: (() => number) | undefined;
}

/** Measures the render cache folder `cacheDir`: entries and bytes per kind, temporary items, the rest. */
export async function renderCacheStats(
  cacheDir: string,
  options: RenderCacheStatsOptions = {},
): Promise<RenderCacheStats> {
  const now = (options.now ?? Date.now)();
  const leftoverAgeMs = options.leftoverAgeMs ?? DEFAULT_LEFTOVER_AGE_MS;
  const scan = await scanRenderCache(cacheDir);
  const kinds = Object.fromEntries(
    RENDER_CACHE_KINDS.map((kind) => {
      const entries = scan.entries.filter((entry) => entry.kind === kind);
      return [kind, { entries: entries.length, bytes: sum(entries.map((entry) => entry.bytes)) }];
    }),
  ) as Record<RenderCacheKind, { entries: number; bytes: number }>;
  const stale = scan.temporary.filter((item) => now - item.lastModifiedMs >= leftoverAgeMs);
  const temporary = {
    items: scan.temporary.length,
    bytes: sum(scan.temporary.map((item) => item.bytes)),
    stale: stale.length,
    staleBytes: sum(stale.map((item) => item.bytes)),
  };
  const uses = scan.entries.map((entry) => entry.lastUsedMs);
  return {
    kinds,
    temporary,
    other: scan.other,
    totalBytes: sum(Object.values(kinds).map((kind) => kind.bytes)) + temporary.bytes + scan.other.bytes,
    newestUseMs: uses.length > 0 ? uses.reduce((a, b) => Math.max(a, b)) : undefined,
    oldestUseMs: uses.length > 0 ? uses.reduce((a, b) => Math.min(a, b)) : undefined,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
