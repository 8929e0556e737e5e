import { randomUUID } from "node:crypto";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DatabaseHandle } from "../db/index.ts";
import { formatDecimal, type Micros, parseUsd } from "../money/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import { sha256Hex } from "./input-key.ts";

/** A stored stage output or scene asset. */
export interface CachedAsset {
  readonly id: string;
  readonly inputKey: string;
  readonly sha256: string;
  readonly kind: string;
  readonly storageKey: string;
  readonly bytes: number;
  readonly contentType: string;
  readonly provider: string | null;
  readonly model: string | null;
  /** What producing it cost the first time; a cache hit saves this much. */
  readonly costMicros: Micros;
  readonly metadata: Record<string, unknown>;
}

/** A freshly produced asset, before it is stored. */
export interface ProducedAsset {
  readonly data: Uint8Array;
  readonly contentType: string;
  readonly provider?: string | null | undefined;
  readonly model?: string | null | undefined;
  readonly costMicros: Micros;
  readonly metadata?: Record<string, unknown> | undefined;
}

const EXTENSIONS: Record<string, string> = {
  "application/json": "json",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/mpeg": "mp3",
  "video/mp4": "mp4",
};

/**
 * The content-addressed cache every stage looks in before any paid call: rows in `assets` keyed by the
 * hash of the inputs, bytes in the object store under the hash of the content. Shared by every user
 * and job, so equal work is paid for once.
 */
export class AssetCache {
  readonly #db: DatabaseHandle["db"];
  readonly #storage: ObjectStore;
  readonly #pending = new Map<string, Promise<{ asset: CachedAsset; cached: boolean }>>();

  constructor(resources: { db: DatabaseHandle["db"]; storage: ObjectStore }) {
    this.#db = resources.db;
    this.#storage = resources.storage;
  }

  /** The asset made from `inputKey`, when it was made before and its bytes are still stored. */
  async lookup(inputKey: string): Promise<CachedAsset | undefined> {
    const row = await this.#db
      .selectFrom("assets")
      .selectAll()
      .where("input_key", "=", inputKey)
      .executeTakeFirst();
    if (!row) return undefined;
    if (!(await this.#storage.exists(row.storage_key))) return undefined;
    return {
      id: row.id,
      inputKey: row.input_key,
      sha256: row.sha256,
      kind: row.kind,
      storageKey: row.storage_key,
      bytes: row.bytes,
      contentType: row.content_type ?? "application/octet-stream",
      provider: row.provider,
      model: row.model,
      costMicros: parseUsd(row.cost_usd),
      metadata: (row.metadata as Record<string, unknown> | null) ?? {},
    };
  }

  /** Stores a produced asset: bytes first, then the row, so a row never points at missing bytes. */
  async store(inputKey: string, kind: string, produced: ProducedAsset): Promise<CachedAsset> {
    const sha256 = sha256Hex(produced.data);
    const extension = EXTENSIONS[produced.contentType] ?? "bin";
    const storageKey = `assets/${sha256.slice(0, 2)}/${sha256}.${extension}`;
    if (!(await this.#storage.exists(storageKey))) {
      await this.#storage.put(storageKey, produced.data, { contentType: produced.contentType });
    }
    const values = {
      input_key: inputKey,
      sha256,
      kind,
      storage_key: storageKey,
      bytes: produced.data.byteLength,
      content_type: produced.contentType,
      provider: produced.provider ?? null,
      model: produced.model ?? null,
      cost_usd: formatDecimal(produced.costMicros),
      metadata: JSON.stringify(produced.metadata ?? {}),
    };
    const row = await this.#db
      .insertInto("assets")
      .values(values)
      .onConflict((oc) =>
        oc.column("input_key").doUpdateSet({
          sha256: values.sha256,
          storage_key: values.storage_key,
          bytes: values.bytes,
          content_type: values.content_type,
          provider: values.provider,
          model: values.model,
          cost_usd: values.cost_usd,
          metadata: values.metadata,
        }),
      )
      .returning("id")
      .executeTakeFirstOrThrow();
    return {
      id: row.id,
      inputKey,
      sha256,
      kind,
      storageKey,
      bytes: produced.data.byteLength,
      contentType: produced.contentType,
      provider: values.provider,
      model: values.model,
      costMicros: produced.costMicros,
      metadata: produced.metadata ?? {},
    };
  }

  /**
   * The cached asset for `inputKey`, or the result of `produce` stored under it. Concurrent calls with
   * the same key in this process share one production.
   */
  getOrCreate(
    inputKey: string,
    kind: string,
    produce: () => Promise<ProducedAsset>,
  ): Promise<{ asset: CachedAsset; cached: boolean }> {
    const pending = this.#pending.get(inputKey);
    if (pending) return pending;
    const work = (async () => {
      const found = await this.lookup(inputKey);
      if (found) return { asset: found, cached: true };
      return { asset: await this.store(inputKey, kind, await produce()), cached: false };
    })().finally(() => this.#pending.delete(inputKey));
    this.#pending.set(inputKey, work);
    return work;
  }

  /** The bytes of an asset. */
  read(asset: CachedAsset): Promise<Uint8Array> {
    return this.#storage.getBytes(asset.storageKey);
  }

  /** Parses a JSON asset. */
  async readJson<T>(asset: CachedAsset): Promise<T> {
    return JSON.parse(new TextDecoder().decode(await this.read(asset))) as T;
  }

  /**
   * A local file with the asset's bytes under `directory` (named by content hash, written once), for
   * FFmpeg, which reads local paths.
   */
  async materialize(asset: CachedAsset, directory: string): Promise<string> {
    const extension = path.extname(asset.storageKey);
    const file = path.join(directory, `${asset.sha256}${extension}`);
    try {
      if ((await stat(file)).size === asset.bytes) return file;
    } catch {
      // not there yet
    }
    await mkdir(directory, { recursive: true });
    // Equal content may be materialized by several scenes at once: each writes its own temp file and
    // the renames are atomic, so the last one wins with identical bytes.
    const temporary = `${file}.${randomUUID()}.tmp`;
    await writeFile(temporary, await this.read(asset));
    await rename(temporary, file);
    return file;
  }
}

/** Encodes a value as a JSON asset. */
export function jsonAsset(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
