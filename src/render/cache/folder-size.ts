import type { Stats } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";

/** What a folder holds: its files, their bytes, and the newest modification time in it. */
export interface FolderSize {
  readonly files: number;
  readonly bytes: number;
  /** Newest mtime (ms) of the folder and everything in it; 0 when the folder does not exist. */
  readonly newestMs: number;
}

/**
 * Sums the files under `folder` (recursively, symlinks counted as themselves, never followed). Files
 * and folders that vanish while it walks (another process removing them) are skipped; a missing
 * `folder` measures as empty.
 */
export async function measureFolder(folder: string): Promise<FolderSize> {
  let files = 0;
  let bytes = 0;
  let newestMs = 0;
  const walk = async (current: string): Promise<void> => {
    const info = await lstatOrUndefined(current);
    if (!info) return;
    newestMs = Math.max(newestMs, info.mtimeMs);
    if (!info.isDirectory()) {
      files += 1;
      bytes += info.size;
      return;
    }
    let names: string[];
    try {
      names = await readdir(current);
    } catch (error) {
      if (isGone(error)) return;
      throw error;
    }
    for (const name of names) await walk(path.join(current, name));
  };
  await walk(folder);
  return { files, bytes, newestMs };
}

/** `lstat`, or undefined when the path does not exist (any more). */
export async function lstatOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/** Whether a file-system error only says the path is not there (any more). */
export function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
