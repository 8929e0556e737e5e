import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ageFile, cacheKeyOf, writeCacheFile, writeSegmentEntry } from "../testing/render-cache-fixture.ts";
import { measureFolder, pruneRenderCache, renderCacheStats, touchCacheEntry } from "./index.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function cacheFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "litink-render-cache-"));
  folders.push(folder);
  return folder;
}

/** Every file under `folder`, relative, sorted. */
async function filesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe("pruneRenderCache", () => {
  it("removes least recently used entries first, each with its sidecars, until under the budget", async () => {
    const cache = await cacheFolder();
    const [oldest, older, newer, newest] = ["a", "b", "c", "d"].map(cacheKeyOf) as [
      string,
      string,
      string,
      string,
    ];
    await writeSegmentEntry(cache, newest, 1000, 2 * HOUR);
    await writeSegmentEntry(cache, older, 1000, 7 * HOUR);
    await writeSegmentEntry(cache, oldest, 1000, 9 * HOUR);
    // An audio track and a chunk, each a main file and a sidecar, between the segments in age.
    await writeCacheFile(cache, `audio/${newer}.m4a`, 900, 3 * HOUR);
    await writeCacheFile(cache, `audio/${newer}.qc.json`, 100, 3 * HOUR);
    await writeCacheFile(cache, `audio/chunks/${older}.pcm`, 900, 8 * HOUR);
    await writeCacheFile(cache, `audio/chunks/${older}.json`, 100, 8 * HOUR);

    const result = await pruneRenderCache(cache, { maxBytes: 2500 });

    expect(result).toMatchObject({
      bytesBefore: 5000,
      bytesAfter: 2000,
      removedEntries: 3,
      removedEntryBytes: 3000,
      overBudget: false,
      failures: [],
    });
    expect(await filesIn(cache)).toEqual([
      `audio/${newer}.m4a`,
      `audio/${newer}.qc.json`,
      `segments/${newest}.json`,
      `segments/${newest}.mp4`,
    ]);
    expect((await measureFolder(cache)).bytes).toBe(result.bytesAfter);
  });

  it("stops as soon as the cache fits, and removes no entry when it already fits", async () => {
    const cache = await cacheFolder();
    for (let index = 0; index < 10; index += 1) {
      await writeSegmentEntry(cache, cacheKeyOf(`segment ${index}`), 1000, (20 - index) * HOUR);
    }
    expect((await pruneRenderCache(cache, { maxBytes: 20_000 })).removedEntries).toBe(0);
    const result = await pruneRenderCache(cache, { maxBytes: 6500 });
    expect(result.removedEntries).toBe(4);
    expect(result.bytesAfter).toBe(6000);
    // The four oldest went.
    const kept = (await filesIn(cache)).filter((file) => file.endsWith(".mp4"));
    expect(kept).toEqual(
      [4, 5, 6, 7, 8, 9].map((index) => `segments/${cacheKeyOf(`segment ${index}`)}.mp4`).sort(),
    );
  });

  it("keeps entries used within the grace period, even over the budget", async () => {
    const cache = await cacheFolder();
    const fresh = cacheKeyOf("fresh");
    const stale = cacheKeyOf("stale");
    await writeSegmentEntry(cache, fresh, 1000, 5 * MINUTE);
    await writeSegmentEntry(cache, stale, 1000, 2 * HOUR);

    const result = await pruneRenderCache(cache, { maxBytes: 0 });

    expect(result).toMatchObject({
      removedEntries: 1,
      protectedBytes: 1000,
      bytesAfter: 1000,
      overBudget: true,
    });
    expect(await filesIn(cache)).toEqual([`segments/${fresh}.json`, `segments/${fresh}.mp4`]);
    // A shorter grace period lets it go.
    expect((await pruneRenderCache(cache, { maxBytes: 0, graceMs: MINUTE })).removedEntries).toBe(1);
    expect(await filesIn(cache)).toEqual([]);
  });

  it("counts a touched entry as just used", async () => {
    const cache = await cacheFolder();
    const reused = cacheKeyOf("reused");
    const unused = cacheKeyOf("unused");
    await writeSegmentEntry(cache, reused, 1000, 10 * HOUR);
    await writeSegmentEntry(cache, unused, 1000, 5 * HOUR);
    expect(await touchCacheEntry(path.join(cache, "segments", `${reused}.mp4`))).toBe(true);

    // Clock an hour and a half ahead, so the touch is past the grace period too.
    await pruneRenderCache(cache, { maxBytes: 1000, now: () => Date.now() + 1.5 * HOUR });

    expect(await filesIn(cache)).toEqual([`segments/${reused}.json`, `segments/${reused}.mp4`]);
    expect(await touchCacheEntry(path.join(cache, "segments", `${unused}.mp4`))).toBe(false);
  });

  it("removes work folders and partial files of killed runs, and keeps those of running ones", async () => {
    const cache = await cacheFolder();
    const key = cacheKeyOf("partial");
    await writeCacheFile(cache, "assemble-old123/segments.ffconcat", 300, 2 * DAY);
    await ageFile(path.join(cache, "assemble-old123"), 2 * DAY);
    await writeCacheFile(cache, "audio/work-old456/track.m4a", 500, 30 * HOUR);
    await ageFile(path.join(cache, "audio/work-old456"), 30 * HOUR);
    await writeCacheFile(cache, `segments/${key}.123.1700000000000.partial.mp4`, 700, 2 * DAY);
    await writeCacheFile(cache, `audio/chunks/${key}.123.1700000000000.abc.partial.json`, 10, 2 * DAY);
    // A running render's: a work folder written to a minute ago, a segment being encoded.
    await writeCacheFile(cache, "assemble-new789/segments.ffconcat", 300, MINUTE);
    await writeCacheFile(cache, `segments/${key}.456.1800000000000.partial.mp4`, 700, MINUTE);

    // With no budget only leftovers go; no entry is counted as removed.
    const result = await pruneRenderCache(cache, { maxBytes: undefined });

    expect(result).toMatchObject({
      removedLeftovers: 4,
      removedLeftoverBytes: 1510,
      removedEntries: 0,
      bytesAfter: 1000,
      overBudget: false,
    });
    expect(await filesIn(cache)).toEqual([
      "assemble-new789/segments.ffconcat",
      `segments/${key}.456.1800000000000.partial.mp4`,
    ]);
    expect(await readdir(path.join(cache, "audio"))).toEqual(["chunks"]);
  });

  it("leaves files that are not cache entries alone", async () => {
    const cache = await cacheFolder();
    await writeCacheFile(cache, "segments/README.txt", 50, 10 * DAY);
    await writeCacheFile(cache, "notes/plan.txt", 50, 10 * DAY);
    await writeCacheFile(cache, `segments/${cacheKeyOf("x")}.mov`, 50, 10 * DAY);
    const result = await pruneRenderCache(cache, { maxBytes: 0 });
    expect(result).toMatchObject({ bytesBefore: 150, bytesAfter: 150, removedEntries: 0, overBudget: true });
    expect(await filesIn(cache)).toHaveLength(3);
  });

  it("prunes a missing folder as an empty cache", async () => {
    const cache = path.join(await cacheFolder(), "never-made");
    expect(await pruneRenderCache(cache, { maxBytes: 0 })).toMatchObject({ bytesBefore: 0, bytesAfter: 0 });
  });

  it("tolerates files vanishing under it: four pruners at once empty the cache without an error", async () => {
    const cache = await cacheFolder();
    for (let index = 0; index < 150; index += 1) {
      const key = cacheKeyOf(`entry ${index}`);
      await writeSegmentEntry(cache, key, 200, DAY + index * MINUTE);
      await writeCacheFile(cache, `audio/chunks/${key}.pcm`, 150, DAY + index * MINUTE);
      await writeCacheFile(cache, `audio/chunks/${key}.json`, 50, DAY + index * MINUTE);
    }
    for (let index = 0; index < 20; index += 1) {
      await writeCacheFile(cache, `audio/work-${index}/track.m4a`, 10, 2 * DAY);
      await ageFile(path.join(cache, `audio/work-${index}`), 2 * DAY);
    }

    const results = await Promise.all(
      Array.from({ length: 4 }, () => pruneRenderCache(cache, { maxBytes: 0 })),
    );

    for (const result of results) expect(result.failures).toEqual([]);
    expect(await filesIn(cache)).toEqual([]);
    // Each entry was counted whole by exactly one pruner or split between racers, never twice over.
    expect(results.reduce((sum, result) => sum + result.removedEntryBytes, 0)).toBe(150 * 400);
  });
});

describe("renderCacheStats", () => {
  it("sizes each kind, the temporary items (and which are stale) and the rest", async () => {
    const cache = await cacheFolder();
    // Whole seconds: file times come back in floating-point milliseconds.
    const now = Math.floor(Date.now() / 1000) * 1000;
    await writeSegmentEntry(cache, cacheKeyOf("s1"), 1000, HOUR, now);
    await writeSegmentEntry(cache, cacheKeyOf("s2"), 500, 3 * HOUR, now);
    await writeCacheFile(cache, `audio/${cacheKeyOf("t")}.m4a`, 400, 2 * HOUR, now);
    await writeCacheFile(cache, `audio/chunks/${cacheKeyOf("c")}.pcm`, 800, 2 * HOUR, now);
    await writeCacheFile(cache, `audio/chunks/${cacheKeyOf("c")}.json`, 20, 2 * HOUR, now);
    await writeCacheFile(cache, `audio/pieces/${cacheKeyOf("p")}.aac`, 300, 2 * HOUR, now);
    await writeCacheFile(cache, `audio/pieces/${cacheKeyOf("p")}.json`, 10, 2 * HOUR, now);
    await writeCacheFile(cache, "audio/work-abc/track.m4a", 70, 2 * DAY, now);
    await ageFile(path.join(cache, "audio/work-abc"), 2 * DAY, now);
    await writeCacheFile(cache, "assemble-xyz/segments.ffconcat", 30, MINUTE, now);
    await writeCacheFile(cache, "stray.txt", 5, DAY, now);

    const stats = await renderCacheStats(cache, { now: () => now });

    expect(stats).toEqual({
      kinds: {
        segments: { entries: 2, bytes: 1500 },
        audioTracks: { entries: 1, bytes: 400 },
        audioChunks: { entries: 1, bytes: 820 },
        audioPieces: { entries: 1, bytes: 310 },
      },
      temporary: { items: 2, bytes: 100, stale: 1, staleBytes: 70 },
      other: { files: 1, bytes: 5 },
      totalBytes: 3135,
      newestUseMs: now - HOUR,
      oldestUseMs: now - 3 * HOUR,
    });
    expect((await measureFolder(cache)).bytes).toBe(stats.totalBytes);
  });

  it("reports a missing folder as empty", async () => {
    const stats = await renderCacheStats(path.join(await cacheFolder(), "none"));
    expect(stats.totalBytes).toBe(0);
    expect(stats.newestUseMs).toBeUndefined();
  });
});

describe("touchCacheEntry", () => {
  it("refreshes the modification time, and reports a vanished file", async () => {
    const cache = await cacheFolder();
    const file = await writeCacheFile(cache, "segments/x.mp4", 10, DAY);
    const before = Date.now();
    expect(await touchCacheEntry(file)).toBe(true);
    expect((await stat(file)).mtimeMs).toBeGreaterThanOrEqual(before - 1000);
    expect(await touchCacheEntry(path.join(cache, "segments", "gone.mp4"))).toBe(false);
  });
});
