import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { serviceAvailable, TEST_REDIS_URL } from "../../test/support/services.ts";
import { stallJob } from "./fixtures/stall-job.ts";
import { defineJob } from "./job-queue.ts";
import { createTestPrefixes, createTestQueue } from "./test-support/bullmq-test-queue.ts";

const prefixes = createTestPrefixes(TEST_REDIS_URL);
const up = await serviceAvailable("Redis", TEST_REDIS_URL);
const hangingWorker = fileURLToPath(new URL("./fixtures/hanging-worker.ts", import.meta.url));

/** Resolves when the child prints a line starting with `prefix`. */
function lineFrom(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split("\n").find((l) => l.startsWith(prefix));
      if (line) {
        child.stdout?.off("data", onData);
        resolve(line);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`worker exited (${code}) before printing "${prefix}"`)));
  });
}

describe.skipIf(!up)("BullMQ stalled-job recovery", () => {
  afterAll(() => prefixes.cleanup());

  it("hands the job of a worker killed with SIGKILL to another worker", async () => {
    const prefix = prefixes.next();
    const child = spawn(process.execPath, ["--import", "tsx", hangingWorker, TEST_REDIS_URL, prefix], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      await lineFrom(child, "ready");
      const queue = createTestQueue(TEST_REDIS_URL, prefix);
      const result = queue.run(stallJob, { value: 7 }, { jobId: "survivor" });
      expect(await lineFrom(child, "started")).toBe("started survivor");
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
      const attempts: number[] = [];
      queue.register(stallJob, async ({ value }, { jobId, attempt }) => {
        attempts.push(attempt);
        return `${jobId} finished ${value} elsewhere`;
      });
      await expect(result).resolves.toBe("survivor finished 7 elsewhere");
      expect(attempts).toEqual([1]);
      await queue.close();
    } finally {
      child.kill("SIGKILL");
    }
  }, 60_000);

  it("on shutdown finishes a job within the grace period, and hands back one that runs longer", async () => {
    const prefix = prefixes.next();
    const producer = createTestQueue(TEST_REDIS_URL, prefix);
    const worker = createTestQueue(TEST_REDIS_URL, prefix, { concurrency: 2 });
    const started: string[] = [];
    worker.register(stallJob, async ({ value }, { jobId, signal }) => {
      started.push(jobId);
      if (value === 1) return "quick";
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      return "never";
    });
    await worker.ready();
    const slow = producer.run(stallJob, { value: 0 }, { jobId: "slow" });
    await expect(producer.run(stallJob, { value: 1 }, { jobId: "quick" })).resolves.toBe("quick");
    while (!started.includes("slow")) await new Promise((r) => setTimeout(r, 20));
    await worker.shutdown({ graceMs: 100 });
    producer.register(stallJob, async () => "handed back and finished");
    await expect(slow).resolves.toBe("handed back and finished");
    await producer.close();
  }, 30_000);

  it("cancels a job running on another worker: its handler's signal aborts and it is not retried", async () => {
    const prefix = prefixes.next();
    const producer = createTestQueue(TEST_REDIS_URL, prefix);
    const worker = createTestQueue(TEST_REDIS_URL, prefix);
    const retried = defineJob<{ value: number }, string>({ ...stallJob, type: "test.cancel", attempts: 3 });
    let runs = 0;
    let aborted!: (reason: unknown) => void;
    const sawAbort = new Promise<unknown>((resolve) => {
      aborted = resolve;
    });
    worker.register(retried, async (_payload, { signal }) => {
      runs += 1;
      signal.addEventListener("abort", () => aborted(signal.reason));
      return new Promise<string>(() => undefined);
    });
    await worker.ready();
    const controller = new AbortController();
    const result = producer.run(retried, { value: 1 }, { signal: controller.signal, jobId: "to-cancel" });
    while (runs === 0) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(result).rejects.toMatchObject({ code: "queue.cancelled" });
    await expect(sawAbort).resolves.toMatchObject({ code: "queue.cancelled" });
    await vi.waitFor(
      async () => expect((await producer.position(retried, "to-cancel")).state).toBe("failed"),
      {
        timeout: 10_000,
      },
    );
    expect(runs).toBe(1);
    await producer.close();
    await worker.close();
  }, 30_000);
});
