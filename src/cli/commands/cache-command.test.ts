import { mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.ts";
import { createLogger } from "../../logging/index.ts";
import { cacheKeyOf, writeCacheFile, writeSegmentEntry } from "../../render/testing/render-cache-fixture.ts";
import { createCacheCommand, pruneCacheAfterRender } from "./cache-command.ts";

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe("litink cache", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function dataDirWithCache(): Promise<{ env: NodeJS.ProcessEnv; cacheDir: string; dataDir: string }> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "litink-cache-command-"));
    dirs.push(dataDir);
    const cacheDir = path.join(dataDir, "cache", "render");
    await writeSegmentEntry(cacheDir, cacheKeyOf("old"), 2000, 5 * DAY);
    await writeSegmentEntry(cacheDir, cacheKeyOf("new"), 1000, 2 * HOUR);
    await writeCacheFile(cacheDir, `audio/${cacheKeyOf("track")}.m4a`, 700, 3 * HOUR);
    await writeCacheFile(cacheDir, `audio/chunks/${cacheKeyOf("chunk")}.pcm`, 400, 4 * DAY);
    await writeCacheFile(cacheDir, `audio/chunks/${cacheKeyOf("chunk")}.json`, 100, 4 * DAY);
    await writeCacheFile(cacheDir, `segments/${cacheKeyOf("old")}.1.2.partial.mp4`, 50, 3 * DAY);
    // Stored generated assets: paid for, never pruned.
    await writeCacheFile(dataDir, "storage/assets/ab/abcdef.png", 4000, 30 * DAY);
    await writeCacheFile(dataDir, "storage/assets/cd/cdef01.mp3", 1000, 30 * DAY);
    const env = {
      ...process.env,
      DATABASE_URL: "",
      STORAGE_URL: "",
      LITINK_DATA_DIR: dataDir,
      LITINK_RENDER_CACHE_MAX_MB: "",
    };
    return { env, cacheDir, dataDir };
  }

  async function run(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
    let text = "";
    await createCacheCommand({ env, output: { write: (chunk: string) => (text += chunk) } }).parseAsync(
      args,
      {
        from: "user",
      },
    );
    return text;
  }

  it("stats: sizes per kind, temporary leftovers and the stored assets", async () => {
    const { env, cacheDir, dataDir } = await dataDirWithCache();
    const stats = JSON.parse(await run(env, ["stats", "--json"])) as Record<string, unknown>;
    expect(stats).toMatchObject({
      cacheDir,
      maxBytes: 5000 * 1024 * 1024,
      segments: { entries: 2, bytes: 3000 },
      audioTracks: { entries: 1, bytes: 700 },
      audioChunks: { entries: 1, bytes: 500 },
      temporary: { items: 1, bytes: 50, stale: 1, staleBytes: 50 },
      totalBytes: 4250,
      storedAssets: { location: path.join(dataDir, "storage", "assets"), files: 2, bytes: 5000 },
    });

    const text = await run(env, ["stats"]);
    expect(text).toContain(`render cache ${cacheDir}`);
    expect(text).toMatch(/segments\s+2 entries\s+2\.9 KB/);
    expect(text).toMatch(/audio chunks\s+1 entry\s+500 B/);
    expect(text).toContain("1 left by killed runs");
    expect(text).toContain("budget 5000 MB");
    expect(text).toContain("2 files, 4.9 KB (results of paid model calls; never pruned)");
  });

  it("prune: least recently used first down to --max-mb, leftovers too, stored assets untouched", async () => {
    const { env, cacheDir, dataDir } = await dataDirWithCache();
    // 2 KB: the old segment (5 days) and the chunk (4 days) go, the track and the new segment fit.
    const result = JSON.parse(await run(env, ["prune", "--max-mb", String(2048 / 1024 / 1024), "--json"]));
    expect(result).toMatchObject({
      cacheDir,
      maxBytes: 2048,
      bytesBefore: 4250,
      bytesAfter: 1700,
      removedEntries: 2,
      removedLeftovers: 1,
      overBudget: false,
    });
    expect((await readdir(path.join(cacheDir, "segments"))).sort()).toEqual(
      [`${cacheKeyOf("new")}.json`, `${cacheKeyOf("new")}.mp4`].sort(),
    );
    expect(await readdir(path.join(cacheDir, "audio", "chunks"))).toEqual([]);

    // 0 MB empties the cache of all but entries used within the hour; the assets stay.
    const text = await run(env, ["prune", "--max-mb", "0"]);
    expect(text).toContain("removed 2 entries (1.7 KB) and 0 leftovers");
    expect(await readdir(path.join(cacheDir, "segments"))).toEqual([]);
    expect((await readdir(path.join(dataDir, "storage", "assets"), { recursive: true })).sort()).toEqual([
      "ab",
      "ab/abcdef.png",
      "cd",
      "cd/cdef01.mp3",
    ]);
  });

  it("prune: the budget comes from LITINK_RENDER_CACHE_MAX_MB; 0 there removes only leftovers", async () => {
    const { env, cacheDir } = await dataDirWithCache();
    const text = await run({ ...env, LITINK_RENDER_CACHE_MAX_MB: "0" }, ["prune"]);
    expect(text).toContain("(no budget)");
    expect(text).toContain("removed 0 entries (0 B) and 1 leftover of killed runs (50 B)");
    expect((await readdir(path.join(cacheDir, "segments"))).length).toBe(4);
  });

  it("refuses a --max-mb that is not a size", async () => {
    const { env } = await dataDirWithCache();
    await expect(run(env, ["prune", "--max-mb", "lots"])).rejects.toMatchObject({
      code: "cli.invalid_option",
      userFacing: true,
      message: expect.stringContaining("--max-mb"),
    });
  });

  it("after a render: prunes to LITINK_RENDER_CACHE_MAX_MB, and only warns when pruning fails", async () => {
    const { env, cacheDir, dataDir } = await dataDirWithCache();
    const MB = 1024 * 1024;
    await writeSegmentEntry(cacheDir, cacheKeyOf("big old"), 1.5 * MB, 3 * DAY);
    await writeSegmentEntry(cacheDir, cacheKeyOf("big new"), 0.5 * MB, 2 * HOUR);
    let logged = "";
    const logger = createLogger({
      level: "info",
      pretty: false,
      destination: new Writable({
        write(chunk, _encoding, done) {
          logged += String(chunk);
          done();
        },
      }),
    });
    const config = loadConfig({ env: { ...env, LITINK_RENDER_CACHE_MAX_MB: "1" } });

    await pruneCacheAfterRender(config, logger);

    const left = await readdir(path.join(cacheDir, "segments"));
    expect(left).toContain(`${cacheKeyOf("big new")}.mp4`);
    expect(left).not.toContain(`${cacheKeyOf("big old")}.mp4`);
    expect(logged).toContain("render cache pruned");

    // A cache folder that cannot be read (a symlink to itself): a warning, no error.
    const loop = path.join(dataDir, "loop");
    await symlink(loop, loop);
    await expect(
      pruneCacheAfterRender({ ...config, renderCache: { dir: loop, maxBytes: 0 } }, logger),
    ).resolves.toBeUndefined();
    expect(logged).toContain("pruning failed (the video is fine)");
  });
});
