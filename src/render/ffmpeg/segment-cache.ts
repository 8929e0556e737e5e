import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { hitCacheFile } from "../cache/index.ts";
import type { SegmentAnalysis } from "../renderer.ts";

const AnalysisSchema = z.object({
  black: z.array(z.object({ start: z.number(), end: z.number() })),
  errors: z.array(z.string()),
});

/** Bumped whenever segment output changes for the same input, so old cache entries stop matching. */
const RENDERER_VERSION = "litink-ffmpeg-segments/1";

/** SHA-256 of a file's content, remembered per path, size and modification time. */
export function createAssetHasher(): (file: string) => Promise<string> {
  const known = new Map<string, Promise<string>>();
  return async (file) => {
    const info = await stat(file);
    const key = `${file}\0${info.size}\0${info.mtimeMs}`;
    let hash = known.get(key);
    if (!hash) {
      hash = hashFile(file);
      hash.catch(() => known.delete(key));
      known.set(key, hash);
    }
    return hash;
  };
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/**
 * The cache key of a segment: SHA-256 over the renderer version, the FFmpeg version, the JSON of the
 * segment's timeline fragment (with asset paths replaced by their content hashes by the caller).
 */
export function segmentKey(fragment: unknown, ffmpegVersion: string): string {
  return createHash("sha256")
    .update(RENDERER_VERSION)
    .update("\0")
    .update(ffmpegVersion)
    .update("\0")
    .update(stableJson(fragment))
    .digest("hex")
    .slice(0, 32);
}

/** JSON with object keys sorted, so equal fragments hash equally whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableJson(entry)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Segment files on disk, one per key, under `<cacheDir>/segments/`. */
export class SegmentCache {
  readonly #folder: string;

  constructor(cacheDir: string) {
    this.#folder = path.join(cacheDir, "segments");
  }

  /** Where the segment with `key` lives (whether or not it exists yet). */
  pathOf(key: string): string {
    return path.join(this.#folder, `${key}.mp4`);
  }

  /**
   * Whether a finished segment with `key` is cached. A hit refreshes the segment's modification time,
   * which the cache pruner reads as its last use; a segment pruned meanwhile is a miss.
   */
  async has(key: string): Promise<boolean> {
    return hitCacheFile(this.pathOf(key));
  }

  /** Moves a finished file into the cache atomically (rename within the cache folder). */
  async store(key: string, file: string): Promise<string> {
    await mkdir(this.#folder, { recursive: true });
    const target = this.pathOf(key);
    await rename(file, target);
    return target;
  }

  /** The stored analysis of segment `key`, or undefined when none was stored (older cache entries). */
  async analysisOf(key: string): Promise<SegmentAnalysis | undefined> {
    try {
      return AnalysisSchema.parse(JSON.parse(await readFile(this.#analysisPath(key), "utf8")));
    } catch {
      return undefined;
    }
  }

  /** Stores the analysis of segment `key` beside it (written to a temporary name, then renamed). */
  async storeAnalysis(key: string, analysis: SegmentAnalysis): Promise<void> {
    await mkdir(this.#folder, { recursive: true });
    const temporary = `${this.#analysisPath(key)}.${process.pid}.${Date.now()}.partial`;
    await writeFile(temporary, JSON.stringify(analysis));
    await rename(temporary, this.#analysisPath(key));
  }

  #analysisPath(key: string): string {
    return path.join(this.#folder, `${key}.json`);
  }

  /** A temporary path inside the cache folder, so `store` is a same-filesystem rename. */
  async temporaryPath(key: string): Promise<string> {
    await mkdir(this.#folder, { recursive: true });
    return path.join(this.#folder, `${key}.${process.pid}.${Date.now()}.partial.mp4`);
  }
}
