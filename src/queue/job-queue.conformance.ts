import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, type JobQueue } from "./job-queue.ts";
import { UnrecoverableJobError } from "./queue-errors.ts";

/** Builds a fresh queue with the given concurrency; the suite closes it. */
export type QueueFactory = (concurrency: number) => Promise<JobQueue>;

const echo = defineJob<{ value: number }, number>({
  type: "test.echo",
  payload: z.object({ value: z.number() }),
  timeoutMs: 5_000,
  attempts: 1,
  backoffMs: 1,
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * The behaviour every JobQueue implementation must show: results, bounded concurrency, priority order,
 * retries, unrecoverable errors, timeouts, payload validation, de-duplication, cancellation and close.
 */
export function describeJobQueueConformance(name: string, create: QueueFactory): void {
  describe(`JobQueue conformance: ${name}`, () => {
    it("runs a job and returns its result", async () => {
      const queue = await create(2);
      queue.register(echo, async ({ value }) => value * 2);
      await expect(queue.run(echo, { value: 21 })).resolves.toBe(42);
      expect(queue.stats()).toMatchObject({ completed: 1, failed: 0, active: 0, waiting: 0 });
      await queue.close();
    });

    it("never runs more jobs at once than its concurrency", async () => {
      const queue = await create(2);
      let running = 0;
      let peak = 0;
      queue.register(echo, async ({ value }) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
        return value;
      });
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => queue.run(echo, { value: i })));
      expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(peak).toBe(2);
      await queue.close();
    });

    it("starts waiting jobs by priority, then in order of arrival", async () => {
      const queue = await create(1);
      const gate = deferred();
      const started = deferred();
      const order: number[] = [];
      queue.register(echo, async ({ value }) => {
        if (value === 0) {
          started.resolve();
          await gate.promise;
        }
        order.push(value);
        return value;
      });
      const blocker = queue.run(echo, { value: 0 });
      // Dispatch may be asynchronous (a remote queue): the others wait only once the blocker runs.
      await started.promise;
      const rest = [
        queue.run(echo, { value: 51 }, { priority: 5 }),
        queue.run(echo, { value: 11 }, { priority: 1 }),
        queue.run(echo, { value: 31 }, { priority: 3 }),
        queue.run(echo, { value: 12 }, { priority: 1 }),
        queue.run(echo, { value: 52 }, { priority: 5 }),
      ];
      gate.resolve();
      await Promise.all([blocker, ...rest]);
      expect(order).toEqual([0, 11, 12, 31, 51, 52]);
      await queue.close();
    });

    it("retries a failing job with backoff up to its attempts", async () => {
      const queue = await create(1);
      const flaky = defineJob<{ value: number }, number>({ ...echo, type: "test.flaky", attempts: 3 });
      const seen: number[] = [];
      queue.register(flaky, async ({ value }, { attempt }) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error("transient");
        return value;
      });
      await expect(queue.run(flaky, { value: 7 })).resolves.toBe(7);
      expect(seen).toEqual([1, 2, 3]);
      await queue.close();
    });

    it("does not retry an unrecoverable error", async () => {
      const queue = await create(1);
      const doomed = defineJob<{ value: number }, number>({ ...echo, type: "test.doomed", attempts: 5 });
      let calls = 0;
      queue.register(doomed, async () => {
        calls += 1;
        throw new UnrecoverableJobError("bad input");
      });
      await expect(queue.run(doomed, { value: 1 })).rejects.toThrow("bad input");
      expect(calls).toBe(1);
      expect(queue.stats().failed).toBe(1);
      await queue.close();
    });

    it("aborts a job that runs past its timeout", async () => {
      const queue = await create(1);
      const slow = defineJob<{ value: number }, number>({ ...echo, type: "test.slow", timeoutMs: 50 });
      let sawAbort = false;
      queue.register(slow, async (_payload, { signal }) => {
        await new Promise<void>((resolve) => {
          signal.addEventListener("abort", () => {
            sawAbort = true;
            resolve();
          });
        });
        return 0;
      });
      await expect(queue.run(slow, { value: 1 })).rejects.toMatchObject({ code: "queue.timeout" });
      expect(sawAbort).toBe(true);
      await queue.close();
    });

    it("refuses a payload that does not match the job's schema", async () => {
      const queue = await create(1);
      queue.register(echo, async ({ value }) => value);
      await expect(queue.run(echo, { value: "x" } as unknown as { value: number })).rejects.toMatchObject({
        code: "queue.invalid_payload",
      });
      await queue.close();
    });

    it("joins a job already in flight with the same id", async () => {
      const queue = await create(2);
      let calls = 0;
      queue.register(echo, async ({ value }) => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 10));
        return value;
      });
      const [a, b] = await Promise.all([
        queue.run(echo, { value: 1 }, { jobId: "same" }),
        queue.run(echo, { value: 1 }, { jobId: "same" }),
      ]);
      expect([a, b]).toEqual([1, 1]);
      expect(calls).toBe(1);
      await queue.close();
    });

    it("cancels a waiting job when its signal aborts", async () => {
      const queue = await create(1);
      const gate = deferred();
      const started = deferred();
      const ran: number[] = [];
      queue.register(echo, async ({ value }) => {
        if (value === 0) {
          started.resolve();
          await gate.promise;
        }
        ran.push(value);
        return value;
      });
      const blocker = queue.run(echo, { value: 0 });
      await started.promise;
      const controller = new AbortController();
      const cancelled = queue.run(echo, { value: 1 }, { signal: controller.signal });
      controller.abort();
      await expect(cancelled).rejects.toMatchObject({ code: "queue.cancelled" });
      gate.resolve();
      await blocker;
      expect(ran).toEqual([0]);
      await queue.close();
    });

    it("rejects new and waiting work once closed", async () => {
      const queue = await create(1);
      const gate = deferred();
      const started = deferred();
      queue.register(echo, async ({ value }) => {
        started.resolve();
        await gate.promise;
        return value;
      });
      const running = queue.run(echo, { value: 0 });
      await started.promise;
      const waiting = queue.run(echo, { value: 1 });
      const closing = queue.close();
      await expect(waiting).rejects.toMatchObject({ code: "queue.closed" });
      await expect(running).rejects.toMatchObject({ code: "queue.closed" });
      gate.resolve();
      await closing;
      await expect(queue.run(echo, { value: 2 })).rejects.toMatchObject({ code: "queue.closed" });
    });
  });
}
