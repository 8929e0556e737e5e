import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestS3Server, type TestS3Server } from "../../test/support/s3-server.ts";
import { createFsObjectStore } from "./fs-object-store.ts";
import type { ObjectStore } from "./object-store.ts";
import { createS3ObjectStore } from "./s3-object-store.ts";

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

interface Implementation {
  name: string;
  open(): Promise<{ store: ObjectStore; cleanup(): Promise<void> }>;
}

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startTestS3Server();
});
afterAll(async () => {
  await s3?.stop();
});

const implementations: Implementation[] = [
  {
    name: "fs",
    async open() {
      const root = await mkdtemp(path.join(os.tmpdir(), "litink-store-"));
      return { store: createFsObjectStore(root), cleanup: () => rm(root, { recursive: true, force: true }) };
    },
  },
  {
    name: "s3",
    async open() {
      const store = createS3ObjectStore({
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        credentials: s3.credentials,
        prefix: `run-${Math.random().toString(36).slice(2)}`,
        partSizeBytes: 5 * 1024 * 1024,
      });
      return { store, cleanup: () => store.close() };
    },
  },
];

describe.each(implementations)("ObjectStore conformance: $name", (implementation) => {
  let store: ObjectStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await implementation.open());
  });
  afterAll(async () => cleanup());

  it("puts and gets bytes", async () => {
    const info = await store.put("a/b/hello.txt", new TextEncoder().encode("hello"), {
      contentType: "text/plain",
    });
    expect(info).toEqual({ key: "a/b/hello.txt", bytes: 5 });
    expect(Buffer.from(await store.getBytes("a/b/hello.txt")).toString()).toBe("hello");
    expect((await readAll(await store.get("a/b/hello.txt"))).toString()).toBe("hello");
    expect(await store.exists("a/b/hello.txt")).toBe(true);
    expect(await store.stat("a/b/hello.txt")).toEqual({ key: "a/b/hello.txt", bytes: 5 });
  });

  it("replaces an object on a second put", async () => {
    await store.put("replace.bin", new Uint8Array([1, 2, 3]));
    await store.put("replace.bin", new Uint8Array([9]));
    expect([...(await store.getBytes("replace.bin"))]).toEqual([9]);
  });

  it("streams a large upload (multipart on S3) intact", async () => {
    const size = 11 * 1024 * 1024 + 17;
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4096) payload[i] = (i / 4096) % 251;
    const info = await store.put(
      "big/stream.bin",
      Readable.from([payload.subarray(0, 3_000_000), payload.subarray(3_000_000)]),
    );
    expect(info.bytes).toBe(size);
    const back = await readAll(await store.get("big/stream.bin"));
    expect(back.equals(payload)).toBe(true);
  });

  it("reports missing objects clearly", async () => {
    expect(await store.exists("nope/missing.txt")).toBe(false);
    expect(await store.stat("nope/missing.txt")).toBeUndefined();
    await expect(store.getBytes("nope/missing.txt")).rejects.toMatchObject({ code: "storage.not_found" });
    await expect(store.get("nope/missing.txt")).rejects.toMatchObject({ code: "storage.not_found" });
    await expect(store.url("nope/missing.txt")).rejects.toMatchObject({ code: "storage.not_found" });
  });

  it("deletes, and deleting twice is fine", async () => {
    await store.put("del/me.txt", new Uint8Array([1]));
    await store.delete("del/me.txt");
    await store.delete("del/me.txt");
    expect(await store.exists("del/me.txt")).toBe(false);
  });

  it("lists by prefix in key order", async () => {
    for (const key of ["list/b.txt", "list/a.txt", "list/sub/c.txt", "listing/x.txt", "other/y.txt"]) {
      await store.put(key, new Uint8Array([1, 2]));
    }
    expect((await store.list("list/")).map((o) => o.key)).toEqual([
      "list/a.txt",
      "list/b.txt",
      "list/sub/c.txt",
    ]);
    expect((await store.list("list")).map((o) => o.key)).toEqual([
      "list/a.txt",
      "list/b.txt",
      "list/sub/c.txt",
      "listing/x.txt",
    ]);
    expect(await store.list("empty/")).toEqual([]);
  });

  it("gives a download URL that serves the object", async () => {
    await store.put("url/file.txt", new TextEncoder().encode("downloadable"));
    const url = await store.url("url/file.txt");
    if (store.kind === "fs") {
      expect(url.startsWith("file://")).toBe(true);
    } else {
      const response = await fetch(url);
      expect(await response.text()).toBe("downloadable");
    }
  });

  it.each([
    ["", "empty"],
    ["/etc/passwd", "absolute"],
    ["a/../../etc/passwd", ".."],
    ["..", ".."],
    ["a//b", "empty path segment"],
    ["a\\b", "backslash"],
    ["a/\u0000b", "control"],
    ["./a", '"."'],
  ])("refuses the key %j (%s)", async (key, reason) => {
    await expect(store.put(key, new Uint8Array([1]))).rejects.toMatchObject({ code: "storage.invalid_key" });
    await expect(store.getBytes(key)).rejects.toThrow(reason);
  });
});

describe("fs store atomicity", () => {
  it("leaves no partial object when a stream fails mid-write", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "litink-store-"));
    const store = createFsObjectStore(root);
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024, 1));
        this.destroy(new Error("connection lost"));
      },
    });
    await expect(store.put("x/partial.bin", failing)).rejects.toThrow("connection lost");
    expect(await store.exists("x/partial.bin")).toBe(false);
    expect(await readdir(path.join(root, "x"))).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });
});
