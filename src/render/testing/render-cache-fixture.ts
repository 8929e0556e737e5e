import { createHash } from "node:crypto";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import path from "node:path";

/** A cache key like the renderer's (32 hex digits), derived from a readable label. */
export function cacheKeyOf(label: string): string {
  return createHash("sha256").update(label).digest("hex").slice(0, 32);
}

/** Sets a file's or folder's access and modification times to `ageMs` before `now`. */
export async function ageFile(file: string, ageMs: number, now: number = Date.now()): Promise<void> {
  const time = new Date(now - ageMs);
  await utimes(file, time, time);
}

/**
 * Writes `bytes` bytes at `relative` under `cacheDir` (making folders), last modified `ageMs` ago, and
 * returns its path.
 */
export async function writeCacheFile(
  cacheDir: string,
  relative: string,
  bytes: number,
  ageMs: number,
  now: number = Date.now(),
): Promise<string> {
  const file = path.join(cacheDir, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.alloc(bytes, 1));
  await ageFile(file, ageMs, now);
  return file;
}

/** A segment entry (`segments/<key>.mp4` and its analysis `.json`) of `bytes` in all, used `ageMs` ago. */
export async function writeSegmentEntry(
  cacheDir: string,
  key: string,
  bytes: number,
  ageMs: number,
  now: number = Date.now(),
): Promise<void> {
  await writeCacheFile(cacheDir, `segments/${key}.mp4`, bytes - 100, ageMs, now);
  await writeCacheFile(cacheDir, `segments/${key}.json`, 100, ageMs, now);
}
