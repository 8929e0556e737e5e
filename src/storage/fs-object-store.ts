import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { assertObjectKey, assertObjectPrefix } from "./object-key.ts";
import type { ObjectInfo, ObjectStore, PutOptions } from "./object-store.ts";
import { objectNotFound } from "./storage-error.ts";

/** Temporary files start with this, so listings never show half-written objects. */
const TEMP_PREFIX = ".litink-tmp-";

/**
 * An {@link ObjectStore} on the local file system under `root`. Writes go to a temporary file in the
 * same folder and are renamed into place, so a crash never leaves a partial object under a real key.
 */
export function createFsObjectStore(root: string): ObjectStore {
  const base = path.resolve(root);
  const pathOf = (key: string): string => {
    assertObjectKey(key);
    return path.join(base, ...key.split("/"));
  };

  const statOf = async (key: string): Promise<ObjectInfo | undefined> => {
    try {
      const info = await stat(pathOf(key));
      return info.isFile() ? { key, bytes: info.size } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };

  return {
    kind: "fs",
    async put(key: string, body: Uint8Array | Readable, _options?: PutOptions): Promise<ObjectInfo> {
      const target = pathOf(key);
      await mkdir(path.dirname(target), { recursive: true });
      const temporary = path.join(path.dirname(target), `${TEMP_PREFIX}${randomUUID()}`);
      try {
        if (body instanceof Uint8Array) {
          await writeFile(temporary, body);
        } else {
          await pipeline(body, createWriteStream(temporary));
        }
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      const info = await stat(target);
      return { key, bytes: info.size };
    },

    async get(key: string): Promise<Readable> {
      const file = pathOf(key);
      if (!(await statOf(key))) throw objectNotFound(key);
      return createReadStream(file);
    },

    async getBytes(key: string): Promise<Uint8Array> {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (error) {
        if (isMissing(error)) throw objectNotFound(key, error);
        throw error;
      }
    },

    stat: statOf,

    async exists(key: string): Promise<boolean> {
      return (await statOf(key)) !== undefined;
    },

    async delete(key: string): Promise<void> {
      await rm(pathOf(key), { force: true });
    },

    async list(prefix: string): Promise<ObjectInfo[]> {
      assertObjectPrefix(prefix);
      const found: ObjectInfo[] = [];
      await walk(base, "", prefix, found);
      return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async url(key: string): Promise<string> {
      const file = pathOf(key);
      if (!(await statOf(key))) throw objectNotFound(key);
      return pathToFileURL(file).href;
    },

    async close(): Promise<void> {},
  };
}

async function walk(base: string, relative: string, prefix: string, found: ObjectInfo[]): Promise<void> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(path.join(base, relative), { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    if (entry.name.startsWith(TEMP_PREFIX)) continue;
    const key = relative ? `${relative}/${entry.name}` : entry.name;
    // Only descend where the prefix can still match.
    if (!(key.startsWith(prefix) || prefix.startsWith(`${key}/`))) continue;
    if (entry.isDirectory()) {
      await walk(base, key, prefix, found);
    } else if (entry.isFile() && key.startsWith(prefix)) {
      const info = await stat(path.join(base, key));
      found.push({ key, bytes: info.size });
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
