import { readdir } from "node:fs/promises";
import path from "node:path";
import { isGone, lstatOrUndefined, measureFolder } from "./folder-size.ts";

/** The kinds of entries in the render cache (see {@link scanRenderCache}). */
export const RENDER_CACHE_KINDS = ["segments", "audioTracks", "audioChunks", "audioPieces"] as const;

/** One kind of entry in the render cache. */
export type RenderCacheKind = (typeof RENDER_CACHE_KINDS)[number];

/**
 * Where each kind lives under the cache folder and which files make one entry (`<key><suffix>`), in
 * the order they are removed: first the file whose presence makes a cache hit, so a render looking at
 * an entry being pruned sees a miss, never half an entry.
 */
const LAYOUT: Readonly<Record<RenderCacheKind, { folder: string; suffixes: readonly string[] }>> = {
  // segment-cache.ts: `has` looks at the .mp4; the analysis .json beside it is optional.
  segments: { folder: "segments", suffixes: [".mp4", ".json"] },
  // audio-track.ts: the .m4a is the hit; QC's analysis of it is `<key>.qc.json`.
  audioTracks: { folder: "audio", suffixes: [".m4a", ".qc.json"] },
  // audio-chunk.ts: the measurement .json is written last and marks a finished chunk.
  audioChunks: { folder: path.join("audio", "chunks"), suffixes: [".json", ".pcm"] },
  // track-piece.ts: the QC measurement .json is written last and marks a finished piece of AAC.
  audioPieces: { folder: path.join("audio", "pieces"), suffixes: [".json", ".aac"] },
};

/** Cache keys are hex digests (segmentKey): anything else in these folders is not ours to remove. */
const ENTRY_FILE = /^([0-9a-f]{16,64})(\..+)$/;
/** Work folders of a render (`assemble-*` under the cache folder, `work-*` under `audio/`). */
const TEMPORARY_FOLDER = /^(assemble|work)-/;
/** Files being written (`<key>.<pid>.<time>.partial.mp4`, `<key>.json.<pid>.<time>.partial`, …). */
const TEMPORARY_FILE = /\.partial(\.|$)/;

/** A file of a cache entry as the scan found it. */
interface ScannedFile {
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

/** A cache entry: a file with its sidecars, all named after one key. */
export interface RenderCacheEntry {
  readonly kind: RenderCacheKind;
  readonly key: string;
  /** In removal order (see LAYOUT). */
  readonly files: readonly ScannedFile[];
  readonly bytes: number;
  /** Newest mtime of its files: renders refresh it on a hit with `touchCacheEntry`. */
  readonly lastUsedMs: number;
}

/** A work folder or a partial file: in use by a running render, or left by a killed one. */
interface TemporaryItem {
  readonly path: string;
  readonly bytes: number;
  /** Newest mtime of it (and, for a folder, of everything in it). */
  readonly lastModifiedMs: number;
}

/** Everything under the render cache folder, sorted into entries, temporary items and the rest. */
export interface RenderCacheScan {
  readonly entries: readonly RenderCacheEntry[];
  readonly temporary: readonly TemporaryItem[];
  /** Files that are none of the above (not ours to remove, but they take room). */
  readonly other: { readonly files: number; readonly bytes: number };
}

/**
 * Reads the render cache folder `cacheDir` (a missing folder is an empty cache). Files that vanish
 * while it reads are skipped, so it is safe while renders and other pruners run.
 */
export async function scanRenderCache(cacheDir: string): Promise<RenderCacheScan> {
  const entries: RenderCacheEntry[] = [];
  const temporary: TemporaryItem[] = [];
  const other = { files: 0, bytes: 0 };
  const kindFolders = new Set(Object.values(LAYOUT).map((layout) => path.join(cacheDir, layout.folder)));
  const folders: { folder: string; kind: RenderCacheKind | undefined }[] = [
    { folder: cacheDir, kind: undefined },
    ...RENDER_CACHE_KINDS.map((kind) => ({ folder: path.join(cacheDir, LAYOUT[kind].folder), kind })),
  ];
  for (const { folder, kind } of folders) {
    const files = new Map<string, { suffix: string; file: ScannedFile }[]>();
    for (const name of await namesIn(folder)) {
      const file = path.join(folder, name);
      if (kindFolders.has(file)) continue;
      const info = await lstatOrUndefined(file);
      if (!info) continue;
      if (info.isDirectory()) {
        const size = await measureFolder(file);
        if (TEMPORARY_FOLDER.test(name)) {
          temporary.push({ path: file, bytes: size.bytes, lastModifiedMs: size.newestMs });
        } else {
          other.files += size.files;
          other.bytes += size.bytes;
        }
        continue;
      }
      if (TEMPORARY_FILE.test(name)) {
        temporary.push({ path: file, bytes: info.size, lastModifiedMs: info.mtimeMs });
        continue;
      }
      const match = ENTRY_FILE.exec(name);
      const key = match?.[1];
      const suffix = match?.[2];
      if (!kind || !key || !suffix || !LAYOUT[kind].suffixes.includes(suffix) || !info.isFile()) {
        other.files += 1;
        other.bytes += info.size;
        continue;
      }
      const scanned = { path: file, bytes: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
      files.set(key, [...(files.get(key) ?? []), { suffix, file: scanned }]);
    }
    if (!kind) continue;
    const order = LAYOUT[kind].suffixes;
    for (const [key, named] of files) {
      const group = named
        .sort((a, b) => order.indexOf(a.suffix) - order.indexOf(b.suffix))
        .map(({ file }) => file);
      entries.push({
        kind,
        key,
        files: group,
        bytes: group.reduce((sum, file) => sum + file.bytes, 0),
        lastUsedMs: Math.max(...group.map((file) => file.mtimeMs)),
      });
    }
  }
  return { entries, temporary, other };
}

async function namesIn(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).sort();
  } catch (error) {
    if (isGone(error)) return [];
    throw error;
  }
}
