import { Queue, UnrecoverableError, Worker } from "bullmq";
import { afterAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { serviceAvailable, TEST_REDIS_URL } from "../../test/support/services.ts";
import { LitinkError } from "../errors/index.ts";
import { toBullmqJobId } from "./bullmq-job-id.ts";
import type { BullmqJobQueueOptions } from "./bullmq-job-queue.ts";
import { encodeJobFailure } from "./job-failure.ts";
import { defineJob } from "./job-queue.ts";
import { createTestPrefixes, createTestQueue } from "./test-support/bullmq-test-queue.ts";

// Each queue below stands for one process: separate queues share only Redis, as on separate machines.
const prefixes = createTestPrefixes(TEST_REDIS_URL);
const up = await serviceAvailable("Redis", TEST_REDIS_URL);

const work = defineJob<{ value: number }, { doubled: number; tags: string[] }>({
  type: "test.reply",
  payload: z.object({ value: z.number() }),
  timeoutMs: 10_000,
  attempts: 3,
  backoffMs: 5,
});

/**
 * One process's queue. Locks last long here: these tests count runs, and on a loaded machine a
 * one-second lock may lapse and hand a running job to a second run.
 */
function queueIn(prefix: string, options: Partial<BullmqJobQueueOptions> = {}) {
  return createTestQueue(TEST_REDIS_URL, prefix, {
    lockDurationMs: 30_000,
    stalledIntervalMs: 30_000,
    ...options,
  });
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe.skipIf(!up)("BullMQ reply channel across processes", () => {
  afterAll(() => prefixes.cleanup());

  it("resolves with the result a worker elsewhere returned, and rethrows its LitinkError with its fields", async () => {
    const prefix = prefixes.next();
    const submitter = queueIn(prefix);
    const worker = queueIn(prefix);
    worker.register(work, async ({ value }) => {
      if (value < 0) {
        throw new LitinkError("provider.content_refused", "the image model refused the prompt", {
          userFacing: true,
        });
      }
      return { doubled: value * 2, tags: ["a", "b"] };
    });
    await worker.ready();
    await expect(submitter.run(work, { value: 21 })).resolves.toEqual({ doubled: 42, tags: ["a", "b"] });
    await expect(submitter.run(work, { value: -1 })).rejects.toMatchObject({
      code: "provider.content_refused",
      message: "the image model refused the prompt",
      userFacing: true,
      retryable: false,
    });
    expect(submitter.stats()).toMatchObject({ completed: 1, failed: 1, waiting: 0, active: 0 });
    await submitter.close();
    await worker.close();
  });

  it("replies only with the final outcome: failed attempts that are retried send nothing", async () => {
    const prefix = prefixes.next();
    const submitter = queueIn(prefix);
    const worker = queueIn(prefix);
    const attempts: number[] = [];
    worker.register(work, async ({ value }, { attempt }) => {
      attempts.push(attempt);
      if (attempt < 3) throw new LitinkError("provider.unavailable", "try again", { retryable: true });
      return { doubled: value * 2, tags: [] };
    });
    await worker.ready();
    await expect(submitter.run(work, { value: 4 })).resolves.toEqual({ doubled: 8, tags: [] });
    expect(attempts).toEqual([1, 2, 3]);
    await submitter.close();
    await worker.close();
  });

  it("gives a process that joins a running job by its id the same result, and runs the job once", async () => {
    const prefix = prefixes.next();
    const first = queueIn(prefix);
    const second = queueIn(prefix);
    const worker = queueIn(prefix);
    const release = gate();
    const started = gate();
    let runs = 0;
    worker.register(work, async ({ value }) => {
      runs += 1;
      started.open();
      await release.promise;
      return { doubled: value * 2, tags: ["shared"] };
    });
    await worker.ready();
    const a = first.run(work, { value: 5 }, { jobId: "video-1/images/0" });
    await started.promise;
    // The worker's start notice reaches the submitter: the job counts as running, not waiting.
    await vi.waitFor(() => expect(first.stats()).toMatchObject({ active: 1, waiting: 0 }));
    const b = second.run(work, { value: 5 }, { jobId: "video-1/images/0" });
    await vi.waitFor(async () =>
      expect((await second.position(work, "video-1/images/0")).state).toBe("active"),
    );
    release.open();
    await expect(a).resolves.toEqual({ doubled: 10, tags: ["shared"] });
    await expect(b).resolves.toEqual({ doubled: 10, tags: ["shared"] });
    expect(runs).toBe(1);
    await Promise.all([first.close(), second.close(), worker.close()]);
  });

  it("gives a restarted submitter that joins its job by id the result of the run still in flight", async () => {
    const prefix = prefixes.next();
    const before = queueIn(prefix);
    const worker = queueIn(prefix);
    const release = gate();
    const started = gate();
    let runs = 0;
    worker.register(work, async ({ value }) => {
      runs += 1;
      started.open();
      await release.promise;
      return { doubled: value * 2, tags: [] };
    });
    await worker.ready();
    const lost = before.run(work, { value: 7 }, { jobId: "video-2/audio/1" });
    await started.promise;
    const closed = expect(lost).rejects.toMatchObject({ code: "queue.closed" });
    await before.close();
    await closed;
    const after = queueIn(prefix);
    const rejoined = after.run(work, { value: 7 }, { jobId: "video-2/audio/1" });
    // The job is still running (the first submitter only withdraws jobs that have not started).
    await vi.waitFor(async () =>
      expect((await after.position(work, "video-2/audio/1")).state).toBe("active"),
    );
    release.open();
    await expect(rejoined).resolves.toEqual({ doubled: 14, tags: [] });
    expect(runs).toBe(1);
    await after.close();
    await worker.close();
  });

  it("cancels a waiting job for every process awaiting it when one of them aborts", async () => {
    const prefix = prefixes.next();
    const first = queueIn(prefix);
    const second = queueIn(prefix);
    await first.ready();
    // No worker takes test.reply jobs here: the job waits until it is cancelled.
    const a = first.run(work, { value: 1 }, { jobId: "video-3/images/0" });
    await vi.waitFor(async () =>
      expect((await first.position(work, "video-3/images/0")).state).toBe("waiting"),
    );
    const controller = new AbortController();
    const b = second.run(work, { value: 1 }, { jobId: "video-3/images/0", signal: controller.signal });
    controller.abort();
    await expect(b).rejects.toMatchObject({ code: "queue.cancelled" });
    await expect(a).rejects.toMatchObject({ code: "queue.cancelled" });
    expect((await first.position(work, "video-3/images/0")).state).toBe("unknown");
    await Promise.all([first.close(), second.close()]);
  });

  it("reads the job's outcome from Redis when no reply comes: a worker that sends none, a job removed by hand", async () => {
    const prefix = prefixes.next();
    const submitter = queueIn(prefix, { outcomeCheckIntervalMs: 50 });
    // A bare BullMQ worker (as of an older LitinkAI) fails the job the way the processor encodes it.
    const bare = new Worker(
      work.type,
      async () => {
        throw new UnrecoverableError(
          encodeJobFailure(
            new LitinkError("render.ffmpeg_failed", "FFmpeg exited with 1", { retryable: false }),
          ),
        );
      },
      { connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null }, prefix },
    );
    await bare.waitUntilReady();
    await expect(submitter.run(work, { value: 1 })).rejects.toMatchObject({
      code: "render.ffmpeg_failed",
      message: "FFmpeg exited with 1",
    });
    await bare.close();

    const pending = submitter.run(work, { value: 2 }, { jobId: "video-4/lip_sync/0" });
    await vi.waitFor(async () =>
      expect((await submitter.position(work, "video-4/lip_sync/0")).state).toBe("waiting"),
    );
    const queue = new Queue(work.type, { connection: { url: TEST_REDIS_URL }, prefix });
    await queue.remove(toBullmqJobId("video-4/lip_sync/0"));
    await queue.close();
    await expect(pending).rejects.toMatchObject({ code: "queue.cancelled" });
    await submitter.close();
  });
});
