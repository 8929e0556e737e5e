import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config/index.ts";
import { createTestPrefixes } from "../../src/queue/test-support/bullmq-test-queue.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";
import { TEST_REDIS_URL } from "../support/services.ts";
import { createTestDatabase, migrate, SAMPLE, servicesUp, startWorker, stop } from "./distributed-cluster.ts";

const execFileAsync = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, "bin", "litink.js");

const up = await servicesUp();
const prefixes = createTestPrefixes(TEST_REDIS_URL);
afterAll(() => prefixes.cleanup());

describe.skipIf(!up)("litink render --detach: the whole video runs on a worker", { timeout: 900_000 }, () => {
  it("submits, follows to the end, fetches the files, and the receipt equals the ledger", async () => {
    const database = await createTestDatabase();
    const prefix = prefixes.next();
    const root = await mkdtemp(path.join(os.tmpdir(), "litink-detached-"));
    const shared = path.join(root, "storage");
    await mkdir(shared, { recursive: true });
    const env = (name: string) =>
      cleanLitinkEnv({
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        STORAGE_URL: pathToFileURL(shared).toString(),
        LITINK_DATA_DIR: path.join(root, name),
      });
    const litink = (args: string[]) =>
      execFileAsync(process.execPath, [BIN, ...args], { cwd: root, env: env("client"), maxBuffer: 1 << 26 });
    let worker: ChildProcess | undefined;
    try {
      await migrate(env("client"), root);
      // Submitted before any worker runs: the video waits in the queue as one job.
      const submitted = await litink(["render", SAMPLE, "--detach", "--json", "--prefix", prefix]);
      const lines = submitted.stdout.trim().split("\n");
      expect(lines).toHaveLength(1);
      const { type, videoId } = JSON.parse(lines[0]!) as { type: string; videoId: string };
      expect(type).toBe("submitted");
      const waiting = await litink(["status", videoId, "--json", "--prefix", prefix]);
      expect(JSON.parse(waiting.stdout)).toMatchObject({
        status: "queued",
        queue: { waiting: 1, active: 0, position: 0 },
      });

      worker = await startWorker(env("worker"), root, prefix);

      const followed = await litink(["status", videoId, "--follow", "--json", "--prefix", prefix]);
      const last = JSON.parse(followed.stdout.trim().split("\n").at(-1)!) as {
        stage: string;
        status: string;
      };
      expect(last).toMatchObject({ stage: "job", status: "succeeded" });

      const out = path.join(root, "fetched");
      await litink(["fetch", videoId, "--out", out]);
      const files = await readdir(out);
      expect(files.filter((file) => file.endsWith(".mp4"))).toHaveLength(1);
      expect(files.filter((file) => file.endsWith(".srt"))).toHaveLength(1);
      expect(files).toEqual(expect.arrayContaining(["receipt.json", "qc.json", "script.json"]));
      const qc = JSON.parse(await readFile(path.join(out, "qc.json"), "utf8")) as { passed: boolean };
      expect(qc.passed).toBe(true);

      // The receipt equals the ledger: the job's usage_logs rows, read straight from the database.
      const receipt = JSON.parse(await readFile(path.join(out, "receipt.json"), "utf8")) as {
        videoId: string;
        totalUsd: string;
        ledger: { rows: number; matches: boolean };
      };
      expect(receipt.videoId).toBe(videoId);
      expect(receipt.ledger.matches).toBe(true);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ rows: number; total: string | null }>(
          "SELECT count(*)::int AS rows, sum(cost_usd)::text AS total FROM usage_logs WHERE job_id = $1",
          [videoId],
        );
        expect(rows[0]!.rows).toBe(receipt.ledger.rows);
        expect(rows[0]!.rows).toBeGreaterThan(0);
        expect(Number(rows[0]!.total ?? 0)).toBe(Number(receipt.totalUsd));
      } finally {
        await client.end();
      }
    } finally {
      if (worker) await stop(worker);
      await database.drop();
      await rm(root, { recursive: true, force: true });
    }
  });
});
