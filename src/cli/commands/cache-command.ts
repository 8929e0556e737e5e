import path from "node:path";
import { Command, Option } from "commander";
import { type AppConfig, loadConfig } from "../../config/index.ts";
import { LitinkError } from "../../errors/index.ts";
import type { Logger } from "../../logging/index.ts";
import {
  measureFolder,
  type PruneRenderCacheResult,
  pruneRenderCache,
  type RenderCacheStats,
  renderCacheStats,
} from "../../render/index.ts";

/** What `litink cache` reads and writes; everything defaults to the real process. */
export interface CacheCommandDependencies {
  /** @defaultValue process.env */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** @defaultValue process.stdout */
  readonly output?: { write(text: string): unknown } | undefined;
}

/**
 * `litink cache stats|prune`: sizes of the render cache by kind (and of the stored assets, which are
 * never pruned), and pruning it to `LITINK_RENDER_CACHE_MAX_MB` or `--max-mb`, least recently used
 * first (see docs/decisions/0012-render-cache-eviction.md).
 */
export function createCacheCommand(dependencies: CacheCommandDependencies = {}): Command {
  const output = dependencies.output ?? process.stdout;
  const config = (): AppConfig => loadConfig({ env: dependencies.env ?? process.env });
  const cache = new Command("cache").description(
    "show and prune the render cache (segments, audio tracks and chunks; stored assets are never pruned)",
  );
  cache
    .command("stats")
    .description("sizes of the render cache by kind, and of the stored assets")
    .option("--json", "print one JSON object")
    .action(async (flags: { json?: boolean }) => {
      const settings = config();
      const stats = await renderCacheStats(settings.renderCache.dir);
      const assets = await storedAssets(settings);
      if (flags.json) {
        output.write(
          `${JSON.stringify({
            cacheDir: settings.renderCache.dir,
            maxBytes: settings.renderCache.maxBytes ?? null,
            ...stats.kinds,
            temporary: stats.temporary,
            other: stats.other,
            totalBytes: stats.totalBytes,
            oldestUse: stats.oldestUseMs === undefined ? null : new Date(stats.oldestUseMs).toISOString(),
            storedAssets: assets,
          })}\n`,
        );
        return;
      }
      output.write(statsText(settings, stats, assets));
    });
  cache
    .command("prune")
    .description(
      "remove least recently used cache entries until the cache fits, and leftovers of killed runs",
    )
    .addOption(
      new Option(
        "--max-mb <n>",
        "budget in MB (0 removes every entry not used in the last hour) @default LITINK_RENDER_CACHE_MAX_MB",
      ).argParser(parseMegabytes),
    )
    .option("--json", "print one JSON object")
    .action(async (flags: { maxMb?: number; json?: boolean }) => {
      const settings = config();
      const maxBytes = flags.maxMb === undefined ? settings.renderCache.maxBytes : flags.maxMb * MB;
      const result = await pruneRenderCache(settings.renderCache.dir, { maxBytes });
      output.write(
        flags.json
          ? `${JSON.stringify({ cacheDir: settings.renderCache.dir, ...result, maxBytes: maxBytes ?? null })}\n`
          : pruneText(settings.renderCache.dir, result),
      );
      const first = result.failures[0];
      if (first) {
        throw new LitinkError(
          "cli.cache_prune_failed",
          `${result.failures.length} file(s) of the render cache could not be removed, first ${first.path}: ${first.message}; check the permissions of ${settings.renderCache.dir}`,
          { userFacing: true, details: { failures: result.failures } },
        );
      }
    });
  return cache;
}

/**
 * Prunes the render cache to `LITINK_RENDER_CACHE_MAX_MB`, for the end of `litink render` once the
 * video is written. Never throws: the video is made, so a failure is only a logged warning.
 */
export async function pruneCacheAfterRender(config: AppConfig, logger: Logger): Promise<void> {
  const cacheDir = config.renderCache.dir;
  try {
    const result = await pruneRenderCache(cacheDir, { maxBytes: config.renderCache.maxBytes });
    if (result.failures.length > 0) {
      logger.warn(
        { cacheDir, failures: result.failures.slice(0, 5) },
        "render cache: some files could not be removed; `litink cache prune` names them",
      );
    } else {
      logger.info(
        { cacheDir, bytesAfter: result.bytesAfter, removedEntries: result.removedEntries },
        "render cache pruned",
      );
    }
  } catch (error) {
    logger.warn(
      { err: error, cacheDir },
      "render cache: pruning failed (the video is fine); run `litink cache prune` to see why",
    );
  }
}

const MB = 1024 * 1024;

function parseMegabytes(value: string): number {
  const megabytes = Number(value);
  if (value.trim() === "" || !Number.isFinite(megabytes) || megabytes < 0) {
    throw new LitinkError(
      "cli.invalid_option",
      `--max-mb takes a size in MB, 0 or more (0 empties the cache of entries not in use), not "${value}"`,
      { userFacing: true },
    );
  }
  return megabytes;
}

/** Where the stored assets are and, when they are local files, how much room they take. */
interface StoredAssets {
  readonly location: string;
  readonly files: number | null;
  readonly bytes: number | null;
}

async function storedAssets(config: AppConfig): Promise<StoredAssets> {
  if (config.storage.kind === "s3") {
    const prefix = config.storage.prefix ? `${config.storage.prefix.replace(/\/+$/, "")}/` : "";
    return { location: `s3://${config.storage.bucket}/${prefix}assets/`, files: null, bytes: null };
  }
  const folder = path.join(config.storage.root, "assets");
  const size = await measureFolder(folder);
  return { location: folder, files: size.files, bytes: size.bytes };
}

function statsText(config: AppConfig, stats: RenderCacheStats, assets: StoredAssets): string {
  const budget = config.renderCache.maxBytes;
  const row = (label: string, count: string, bytes: number, note = ""): string =>
    `  ${label.padEnd(16)}${count.padStart(14)}${formatBytes(bytes).padStart(11)}${note}\n`;
  const { segments, audioTracks, audioChunks, audioPieces } = stats.kinds;
  let text = `render cache ${config.renderCache.dir}\n`;
  text += row("segments", plural(segments.entries, "entry", "entries"), segments.bytes);
  text += row("audio tracks", plural(audioTracks.entries, "entry", "entries"), audioTracks.bytes);
  text += row("audio chunks", plural(audioChunks.entries, "entry", "entries"), audioChunks.bytes);
  text += row("audio pieces", plural(audioPieces.entries, "entry", "entries"), audioPieces.bytes);
  text += row(
    "temporary",
    plural(stats.temporary.items, "item", "items"),
    stats.temporary.bytes,
    stats.temporary.stale > 0
      ? `  (${stats.temporary.stale} left by killed runs, ${formatBytes(stats.temporary.staleBytes)}: \`litink cache prune\` removes them)`
      : "",
  );
  if (stats.other.files > 0) {
    text += row(
      "other files",
      plural(stats.other.files, "file", "files"),
      stats.other.bytes,
      "  (never pruned)",
    );
  }
  text += row("total", "", stats.totalBytes);
  text += `  budget ${budget === undefined ? "none (LITINK_RENDER_CACHE_MAX_MB=0)" : formatMegabytes(budget)}, pruned least recently used first after each \`litink render\`\n`;
  if (stats.oldestUseMs !== undefined) {
    text += `  least recently used entry: ${new Date(stats.oldestUseMs).toISOString()}\n`;
  }
  text +=
    assets.bytes === null
      ? `stored assets ${assets.location} (in the object store; never pruned)\n`
      : `stored assets ${assets.location}: ${plural(assets.files ?? 0, "file", "files")}, ${formatBytes(assets.bytes)} (results of paid model calls; never pruned)\n`;
  return text;
}

function pruneText(cacheDir: string, result: PruneRenderCacheResult): string {
  const budget = result.maxBytes === undefined ? "no budget" : `budget ${formatMegabytes(result.maxBytes)}`;
  let text = `render cache ${cacheDir}: ${formatBytes(result.bytesBefore)} → ${formatBytes(result.bytesAfter)} (${budget})\n`;
  text += `  removed ${plural(result.removedEntries, "entry", "entries")} (${formatBytes(result.removedEntryBytes)}) and ${plural(result.removedLeftovers, "leftover", "leftovers")} of killed runs (${formatBytes(result.removedLeftoverBytes)})\n`;
  if (result.overBudget) {
    text +=
      result.protectedBytes > 0
        ? `  still over budget: ${formatBytes(result.protectedBytes)} of entries were used within the last hour (a render may still need them); prune again later\n`
        : "  still over budget: what is left is in use by a running render or not a cache entry\n";
  }
  return text;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** A budget as it was set: in MB. */
function formatMegabytes(bytes: number): string {
  return `${Number((bytes / MB).toFixed(3))} MB`;
}

/** Bytes in B, KB, MB or GB (powers of 1024, as the MB of LITINK_RENDER_CACHE_MAX_MB). */
function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
