import type { Readable } from "node:stream";

/** What the store knows about one object. */
export interface ObjectInfo {
  readonly key: string;
  readonly bytes: number;
}

/** Options for {@link ObjectStore.put}. */
export interface PutOptions {
  /** @defaultValue application/octet-stream */
  readonly contentType?: string | undefined;
}

/** Options for {@link ObjectStore.url}. */
export interface UrlOptions {
  /** How long a signed URL stays valid. @defaultValue 3600 */
  readonly expiresInSeconds?: number | undefined;
}

/**
 * Where uploads, generated assets and finished videos live: the local file system by default, any
 * S3-compatible store in distributed mode. Keys are relative slash-separated paths
 * (`assets/ab/abcdef….png`), validated by `assertObjectKey`. Writes are atomic: a reader sees the
 * whole object or nothing.
 */
export interface ObjectStore {
  readonly kind: "fs" | "s3";
  /** Stores bytes or a stream under `key`, replacing any object there. */
  put(key: string, body: Uint8Array | Readable, options?: PutOptions): Promise<ObjectInfo>;
  /** Streams an object; `storage.not_found` when there is none. */
  get(key: string): Promise<Readable>;
  /** Reads a whole (small) object into memory; `storage.not_found` when there is none. */
  getBytes(key: string): Promise<Uint8Array>;
  /** Size of an object, or undefined when there is none. */
  stat(key: string): Promise<ObjectInfo | undefined>;
  exists(key: string): Promise<boolean>;
  /** Removes an object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Where the object can be downloaded: a `file://` URL locally, a presigned HTTPS URL on S3. */
  url(key: string, options?: UrlOptions): Promise<string>;
  /** Releases connections. */
  close(): Promise<void>;
}
