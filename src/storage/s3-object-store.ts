import type { Readable } from "node:stream";
import type { S3Client, S3ClientConfig } from "@aws-sdk/client-s3";
import { LitinkError } from "../errors/index.ts";
import { assertObjectKey, assertObjectPrefix } from "./object-key.ts";
import type { ObjectInfo, ObjectStore, PutOptions, UrlOptions } from "./object-store.ts";
import { objectNotFound } from "./storage-error.ts";

/** Settings for {@link createS3ObjectStore}; credentials come from the usual AWS variables or `credentials`. */
export interface S3ObjectStoreOptions {
  readonly bucket: string;
  /** e.g. https://s3.us-west-004.backblazeb2.com; omitted for AWS itself. */
  readonly endpoint?: string | undefined;
  /** @defaultValue us-east-1 */
  readonly region?: string | undefined;
  /** Path-style URLs (bucket in the path), which most S3-compatible stores want. @defaultValue true */
  readonly forcePathStyle?: boolean | undefined;
  /** Every key is stored under this prefix (e.g. "litink/"). @defaultValue "" */
  readonly prefix?: string | undefined;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Streams larger than this upload in parts of this size. @defaultValue 8 MiB */
  readonly partSizeBytes?: number | undefined;
}

/** The S3 client and the SDK's command classes, loaded together. */
interface S3Connection {
  readonly client: S3Client;
  readonly sdk: typeof import("@aws-sdk/client-s3");
}

/**
 * An {@link ObjectStore} on any S3-compatible service (AWS S3, Backblaze B2, Wasabi, MinIO, Supabase).
 * Streams upload as multipart uploads; buffers in one PUT. The AWS SDK (a few hundred modules) is
 * loaded by the first call, so a process that never touches S3 storage never loads it.
 */
export function createS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const config: S3ClientConfig = {
    region: options.region ?? "us-east-1",
    forcePathStyle: options.forcePathStyle ?? true,
    // Many S3-compatible stores reject the SDK's default streaming checksums (aws-chunked trailers).
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  let connection: Promise<S3Connection> | undefined;
  const connect = (): Promise<S3Connection> => {
    connection ??= import("@aws-sdk/client-s3").then((sdk) => ({ client: new sdk.S3Client(config), sdk }));
    return connection;
  };
  const bucket = options.bucket;
  const keyPrefix = options.prefix ? `${options.prefix.replace(/\/+$/, "")}/` : "";
  const fullKey = (key: string): string => {
    assertObjectKey(key);
    return `${keyPrefix}${key}`;
  };

  const statOf = async (key: string): Promise<ObjectInfo | undefined> => {
    const { client, sdk } = await connect();
    try {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
      return { key, bytes: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw wrap(error, "stat", key);
    }
  };

  return {
    kind: "s3",
    async put(key: string, body: Uint8Array | Readable, putOptions?: PutOptions): Promise<ObjectInfo> {
      const Key = fullKey(key);
      const ContentType = putOptions?.contentType ?? "application/octet-stream";
      const { client, sdk } = await connect();
      try {
        if (body instanceof Uint8Array) {
          await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key, Body: body, ContentType }));
          return { key, bytes: body.byteLength };
        }
        const { Upload } = await import("@aws-sdk/lib-storage");
        const upload = new Upload({
          client,
          params: { Bucket: bucket, Key, Body: body, ContentType },
          partSize: options.partSizeBytes ?? 8 * 1024 * 1024,
          queueSize: 2,
          leavePartsOnError: false,
        });
        await upload.done();
      } catch (error) {
        throw wrap(error, "put", key);
      }
      const info = await statOf(key);
      if (!info) throw new LitinkError("storage.write_failed", `object "${key}" is missing after upload`);
      return info;
    },

    async get(key: string): Promise<Readable> {
      const { client, sdk } = await connect();
      try {
        const result = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
        return result.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) throw objectNotFound(key, error);
        throw wrap(error, "get", key);
      }
    },

    async getBytes(key: string): Promise<Uint8Array> {
      const { client, sdk } = await connect();
      try {
        const result = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
        return await (result.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
      } catch (error) {
        if (isNotFound(error)) throw objectNotFound(key, error);
        throw wrap(error, "get", key);
      }
    },

    stat: statOf,

    async exists(key: string): Promise<boolean> {
      return (await statOf(key)) !== undefined;
    },

    async delete(key: string): Promise<void> {
      const { client, sdk } = await connect();
      try {
        await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
      } catch (error) {
        if (!isNotFound(error)) throw wrap(error, "delete", key);
      }
    },

    async list(prefix: string): Promise<ObjectInfo[]> {
      assertObjectPrefix(prefix);
      const { client, sdk } = await connect();
      const found: ObjectInfo[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client
          .send(
            new sdk.ListObjectsV2Command({
              Bucket: bucket,
              Prefix: `${keyPrefix}${prefix}`,
              ContinuationToken,
            }),
          )
          .catch((error: unknown) => {
            throw wrap(error, "list", prefix);
          });
        for (const item of page.Contents ?? []) {
          if (item.Key) found.push({ key: item.Key.slice(keyPrefix.length), bytes: item.Size ?? 0 });
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async url(key: string, urlOptions?: UrlOptions): Promise<string> {
      if (!(await statOf(key))) throw objectNotFound(key);
      const [{ client, sdk }, { getSignedUrl }] = await Promise.all([
        connect(),
        import("@aws-sdk/s3-request-presigner"),
      ]);
      return getSignedUrl(client, new sdk.GetObjectCommand({ Bucket: bucket, Key: fullKey(key) }), {
        expiresIn: urlOptions?.expiresInSeconds ?? 3600,
      });
    },

    async close(): Promise<void> {
      if (connection) (await connection).client.destroy();
    },
  };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NotFound" || e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404;
}

function wrap(error: unknown, operation: string, key: string): LitinkError {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const retryable = status === undefined || status >= 500 || status === 429;
  return new LitinkError(
    "storage.s3_failed",
    `S3 ${operation} of "${key}" failed: ${(error as Error).message || (error as Error).name}`,
    { cause: error, retryable, details: { key, operation, status } },
  );
}
