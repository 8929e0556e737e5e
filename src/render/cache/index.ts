export { measureFolder } from "./folder-size.ts";
export {
  type PruneRenderCacheOptions,
  type PruneRenderCacheResult,
  pruneRenderCache,
} from "./prune-render-cache.ts";
export {
  type RenderCacheStats,
  type RenderCacheStatsOptions,
  renderCacheStats,
} from "./render-cache-stats.ts";
export { hitCacheFile, touchCacheEntry } from "./touch-cache-entry.ts";
