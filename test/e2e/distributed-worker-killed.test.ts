import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestPrefixes } from "../../src/queue/test-support/bullmq-test-queue.ts";
import { startFakeProviders } from "../fakes/fake-providers.ts";
import { sampleLlmReplies } from "../fakes/sample-llm-replies.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";
import { TEST_REDIS_URL } from "../support/services.ts";
import {
  createTestDatabase,
  migrate,
  render,
  SAMPLE,
  servicesUp,
  startWorker,
  stop,
} from "./distributed-cluster.ts";

const up = await servicesUp();
const prefixes = createTestPrefixes(TEST_REDIS_URL);
afterAll(() => prefixes.cleanup());

const llmReplies = () => sampleLlmReplies(SAMPLE);

describe.skipIf(!up)("a litink worker killed while it holds a scene job", { timeout: 900_000 }, () => {
  it("another worker finishes the video, nothing is charged twice, and the receipt equals the ledger", async () => {
    const fakes = await startFakeProviders();
    fakes.openrouter.queueReplies(...(await llmReplies()));
    const database = await createTestDatabase();
    const prefix = prefixes.next();
    const root = await mkdtemp(path.join(os.tmpdir(), "litink-distributed-kill-"));
    const shared = path.join(root, "storage");
    await mkdir(shared, { recursive: true });
    const env = (name: string) =>
      cleanLitinkEnv({
        ...fakes.env,
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        STORAGE_URL: pathToFileURL(shared).toString(),
        LITINK_DATA_DIR: path.join(root, name),
      });
    const workers: ChildProcess[] = [];
    try {
      await migrate(env("render"), root);
      // Hold the second image at the provider, so the first worker is inside that scene job when killed.
      fakes.modelslab.server.fail("text-to-image", { kind: "delay", ms: 120_000 }, 1, 1);
      const doomed = await startWorker(env("worker-a"), root, prefix);
      workers.push(doomed);
      const rendering = render(env("render"), root, [
        "--tier",
        "basic",
        "--json",
        "--no-local-work",
        "--prefix",
        prefix,
        "--out",
        path.join(root, "out"),
      ]);
      rendering.catch(() => undefined);
      const deadline = Date.now() + 600_000;
      while (fakes.modelslab.server.calls("text-to-image") < 2) {
        if (Date.now() > deadline) throw new Error("the first worker never reached the second image");
        if (doomed.exitCode !== null) throw new Error(`the first worker exited early (${doomed.exitCode})`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      workers.push(await startWorker(env("worker-b"), root, prefix));
      await stop(doomed, "SIGKILL");

      const result = await rendering;
      expect(result.qcPassed).toBe(true);
      // The held image was asked for again by the second worker: one call per scene, plus the lost one.
      expect(fakes.modelslab.server.calls("text-to-image")).toBe(result.scenes + 1);
      const receipt = JSON.parse(await readFile(result.receipt, "utf8")) as {
        totalUsd: string;
        ledger: { matches: boolean };
      };
      expect(receipt.ledger.matches).toBe(true);
      expect(Number(receipt.totalUsd)).toBeGreaterThan(0);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        // One paid row per call: no idempotency key charged twice, and one image paid per scene.
        const twice = await client.query(
          "SELECT idempotency_key FROM usage_logs WHERE outcome = 'succeeded' AND cost_usd > 0 GROUP BY idempotency_key HAVING count(*) > 1",
        );
        expect(twice.rows).toEqual([]);
        const images = await client.query(
          "SELECT count(*)::int AS n FROM usage_logs WHERE resource_type = 'image' AND outcome = 'succeeded'",
        );
        expect(images.rows[0].n).toBe(result.scenes);
      } finally {
        await client.end();
      }
    } finally {
      await Promise.all(workers.map((worker) => stop(worker)));
      await database.drop();
      await fakes.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
