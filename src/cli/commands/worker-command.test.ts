import { EventEmitter } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { serviceAvailable, TEST_REDIS_URL } from "../../../test/support/services.ts";
import { defineJob, pingJob } from "../../queue/index.ts";
import { createTestPrefixes, createTestQueue } from "../../queue/test-support/bullmq-test-queue.ts";
import { createQueueCommand } from "./queue-command.ts";
import { createWorkerCommand } from "./worker-command.ts";

const prefixes = createTestPrefixes(TEST_REDIS_URL);
const up = await serviceAvailable("Redis", TEST_REDIS_URL);
// The worker opens the pipeline's resources: an embedded database and storage in a temporary folder.
const dataDir = await mkdtemp(path.join(os.tmpdir(), "litink-worker-"));
const env = {
  ...process.env,
  DATABASE_URL: "",
  STORAGE_URL: "",
  LITINK_DATA_DIR: dataDir,
  REDIS_URL: TEST_REDIS_URL,
};

const idle = defineJob<{ n: number }, number>({
  type: "test.idle",
  payload: z.object({ n: z.number() }),
  timeoutMs: 1000,
  attempts: 1,
  backoffMs: 1,
});

describe.skipIf(!up)("litink worker and litink queue", () => {
  afterAll(async () => {
    await prefixes.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("takes jobs, serves Prometheus metrics by tier and type, and stops on SIGTERM", async () => {
    const prefix = prefixes.next();
    const signals = new EventEmitter();
    const lines: string[] = [];
    let onReady!: (url: string) => void;
    const ready = new Promise<string>((resolve) => {
      onReady = resolve;
    });
    const command = createWorkerCommand({
      env,
      output: { write: (text: string) => lines.push(text) },
      signals,
      onReady: ({ metricsUrl }) => onReady(metricsUrl),
    });
    const running = command.parseAsync(
      ["--metrics-port", "0", "--metrics-host", "127.0.0.1", "--prefix", prefix, "--grace", "5"],
      { from: "user" },
    );
    const metricsUrl = await ready;
    const producer = createTestQueue(TEST_REDIS_URL, prefix);
    const pong = await producer.run(pingJob, { message: "hello" }, { priority: 3 });
    expect(pong).toMatchObject({ message: "hello", pid: process.pid });
    const metrics = await (await fetch(metricsUrl)).text();
    expect(metrics).toContain('litink_queue_wait_seconds_count{tier="3"} 1');
    expect(metrics).toContain('litink_job_duration_seconds_count{type="queue.ping"} 1');
    expect((await fetch(metricsUrl.replace("/metrics", "/other"))).status).toBe(404);
    await producer.close();
    signals.emit("SIGTERM");
    await running;
    expect(lines.join("")).toMatch(/SIGTERM: finishing running jobs[\s\S]*stopped/);
  }, 120_000);

  it("refuses queue types it does not know and a missing REDIS_URL, saying what to do", async () => {
    const withoutRedis = { ...process.env, REDIS_URL: "" };
    await expect(
      createWorkerCommand({ env: withoutRedis }).parseAsync([], { from: "user" }),
    ).rejects.toMatchObject({ code: "cli.no_redis", userFacing: true });
    await expect(
      createWorkerCommand({ env }).parseAsync(["--queues", "video.render"], { from: "user" }),
    ).rejects.toThrow(
      "--queues: this worker cannot run video.render; it knows queue.ping, pipeline.image, pipeline.speech, pipeline.motion, pipeline.lipsync, pipeline.segment",
    );
  });

  it("shows depth and wait per tier of the shared queues", async () => {
    const prefix = prefixes.next();
    const producer = createTestQueue(TEST_REDIS_URL, prefix);
    const waiting = [
      producer.run(idle, { n: 1 }, { priority: 5, jobId: "free" }),
      producer.run(idle, { n: 2 }, { priority: 1, jobId: "pro" }),
      producer.run(idle, { n: 3 }, { priority: 5, jobId: "free-2" }),
    ];
    for (const settled of waiting) settled.catch(() => undefined);
    const read = async (json: boolean) => {
      let text = "";
      await createQueueCommand({ env, output: { write: (t: string) => (text += t) } }).parseAsync(
        ["--prefix", prefix, ...(json ? ["--json"] : [])],
        { from: "user" },
      );
      return text;
    };
    let report: {
      kind: string;
      queues: { type: string; waiting: number; tiers: { tier: number; waiting: number }[] }[];
    } = {
      kind: "",
      queues: [],
    };
    for (let i = 0; i < 100 && report.queues[0]?.waiting !== 3; i++) {
      report = JSON.parse(await read(true));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(report.kind).toBe("bullmq");
    expect(report.queues[0]).toMatchObject({ type: "test.idle", waiting: 3 });
    expect(report.queues[0]?.tiers.map((t) => t.waiting)).toEqual([1, 0, 0, 0, 2]);
    const table = await read(false);
    expect(table).toContain("test.idle: 3 waiting, 0 running");
    expect(table).toMatch(/5 Free\s+2\s+0/);
    await producer.close();
  }, 30_000);
});
