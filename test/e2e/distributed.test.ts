import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanLitinkEnv } from "../support/litink-env.ts";
import { createDeployment, queuePrefixes, render, servicesUp } from "./distributed-cluster.ts";

/** Enterprise renders up to 8 scenes at once, so the scene jobs spread over every worker. */
const RENDER_FLAGS = ["--tier", "enterprise", "--resolution", "720p", "--json"];

const up = await servicesUp();
const prefixes = queuePrefixes();

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
      const deployment = await createDeployment();
      const { root } = deployment;
      const prefix = prefixes.next();
      const workers = Array.from({ length: count }, (_, index) => `worker-${index}`);
      try {
        for (const name of workers) await deployment.startWorker(name, prefix);
        const result = await render(deployment.env("render"), root, [
          ...RENDER_FLAGS,
          "--no-local-work",
          "--prefix",
          prefix,
          "--out",
          path.join(root, "out"),
        ]);
        expect(result.qcPassed).toBe(true);
        expect(await segmentKeys(path.join(deployment.storage, "segments"))).toEqual(embeddedKeys);
        // The orchestrator rendered nothing itself; the segments were spread over the workers.
        expect(await segmentKeys(path.join(root, "render", "cache", "render", "segments"))).toEqual([]);
        const perWorker = await Promise.all(
          workers.map((name) => segmentKeys(path.join(root, name, "cache", "render", "segments"))),
        );
        expect(perWorker.filter((keys) => keys.length > 0).length).toBeGreaterThanOrEqual(2);
      } finally {
        await deployment.remove();
      }
    },
  );
});
