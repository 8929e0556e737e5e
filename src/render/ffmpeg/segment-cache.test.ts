import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ageFile } from "../testing/render-cache-fixture.ts";
import { SegmentCache } from "./segment-cache.ts";

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe("SegmentCache", () => {
  it("marks a hit as just used, for the cache pruner; a missing or empty segment is a miss", async () => {
    const cacheDir = await mkdtemp(path.join(os.tmpdir(), "litink-segment-cache-"));
    folders.push(cacheDir);
    const cache = new SegmentCache(cacheDir);
    const key = "0123456789abcdef0123456789abcdef";
    expect(await cache.has(key)).toBe(false);
    const temporary = await cache.temporaryPath(key);
    await writeFile(temporary, "segment");
    const stored = await cache.store(key, temporary);
    await ageFile(stored, 3 * 24 * 60 * 60 * 1000);
    const before = Date.now();

    expect(await cache.has(key)).toBe(true);
    expect((await stat(stored)).mtimeMs).toBeGreaterThanOrEqual(before - 1000);

    await writeFile(stored, "");
    expect(await cache.has(key)).toBe(false);
  });
});
