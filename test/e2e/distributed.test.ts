import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestPrefixes } from "../../src/queue/test-support/bullmq-test-queue.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";
import { TEST_REDIS_URL } from "../support/services.ts";
import { createTestDatabase, migrate, render, servicesUp, startWorker, stop } from "./distributed-cluster.ts";

/** Enterprise renders up to 8 scenes at once, so the scene jobs spread over every worker. */
const RENDER_FLAGS = ["--tier", "enterprise", "--resolution", "720p", "--json"];

const up = await servicesUp();
const prefixes = createTestPrefixes(TEST_REDIS_URL);
afterAll(() => prefixes.cleanup());

/** Segment keys (content hashes) in a folder of `<key>.mp4` files. */
async function segmentKeys(folder: string): Promise<string[]> {
  const files = await readdir(folder).catch(() => [] as string[]);
  return files
    .filter((file) => /^[0-9a-f]{32}\.mp4$/.test(file))
    .map((file) => file.slice(0, 32))
    .sort();
}

describe.skipIf(!up)("one video spread over litink worker processes (BullMQ)", { timeout: 900_000 }, () => {
  let work: string;
  let embeddedKeys: string[];
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "litink-distributed-"));
    const data = path.join(work, "embedded");
    const result = await render(cleanLitinkEnv({ LITINK_DATA_DIR: data }), work, [
      ...RENDER_FLAGS,
      "--out",
      path.join(work, "embedded-out"),
    ]);
    expect(result.qcPassed).toBe(true);
    embeddedKeys = await segmentKeys(path.join(data, "cache", "render", "segments"));
    // The title card, then one or more shots per scene.
    expect(embeddedKeys.length).toBeGreaterThanOrEqual(result.scenes + 1);
  }, 900_000);
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it.each([2, 3])(
    "%i workers and --no-local-work render segments identical to the embedded render",
    async (count) => {
      const database = await createTestDatabase();
      const prefix = prefixes.next();
      const root = path.join(work, `workers-${count}`);
      const shared = path.join(root, "storage");
      await mkdir(shared, { recursive: true });
      const env = (name: string) =>
        cleanLitinkEnv({
          DATABASE_URL: database.url,
          REDIS_URL: TEST_REDIS_URL,
          STORAGE_URL: pathToFileURL(shared).toString(),
          LITINK_DATA_DIR: path.join(root, name),
        });
      const workers: ChildProcess[] = [];
      try {
        // Migrate once, so the workers do not all race to create the schema.
        await migrate(env("render"), root);
        for (let index = 0; index < count; index++) {
          workers.push(await startWorker(env(`worker-${index}`), root, prefix));
        }
        const result = await render(env("render"), root, [
          ...RENDER_FLAGS,
          "--no-local-work",
          "--prefix",
          prefix,
          "--out",
          path.join(root, "out"),
        ]);
        expect(result.qcPassed).toBe(true);
        expect(await segmentKeys(path.join(shared, "segments"))).toEqual(embeddedKeys);
        // The orchestrator rendered nothing itself; the segments were spread over the workers.
        expect(await segmentKeys(path.join(root, "render", "cache", "render", "segments"))).toEqual([]);
        const perWorker = await Promise.all(
          workers.map((_, index) =>
            segmentKeys(path.join(root, `worker-${index}`, "cache", "render", "segments")),
          ),
        );
        expect(perWorker.filter((keys) => keys.length > 0).length).toBeGreaterThanOrEqual(2);
      } finally {
        await Promise.all(workers.map((worker) => stop(worker)));
        await database.drop();
      }
    },
  );
});
