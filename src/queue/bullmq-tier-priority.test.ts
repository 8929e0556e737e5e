import { afterAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { serviceAvailable, TEST_REDIS_URL } from "../../test/support/services.ts";
import type { BullmqJobQueue } from "./bullmq-job-queue.ts";
import { defineJob } from "./job-queue.ts";
import { createTestPrefixes, createTestQueue } from "./test-support/bullmq-test-queue.ts";

const work = defineJob<{ name: string }, string>({
  type: "test.tiered",
  payload: z.object({ name: z.string() }),
  timeoutMs: 10_000,
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

/** Waits until every job of `ids` sits in the queue (adds are asynchronous). */
async function untilWaiting(queue: BullmqJobQueue, ids: readonly string[]): Promise<void> {
  await vi.waitFor(
    async () => {
      for (const id of ids) expect((await queue.position(work, id)).state).toBe("waiting");
    },
    { timeout: 10_000, interval: 20 },
  );
}

const prefixes = createTestPrefixes(TEST_REDIS_URL);
const up = await serviceAvailable("Redis", TEST_REDIS_URL);

describe.skipIf(!up)("BullMQ tier priority and fairness", () => {
  afterAll(() => prefixes.cleanup());

  /** One worker kept busy by a blocker, so everything else waits; `order` records dispatch. */
  async function busyQueue(options: Parameters<typeof createTestQueue>[2] = {}) {
    const queue = createTestQueue(TEST_REDIS_URL, prefixes.next(), { concurrency: 1, ...options });
    const gate = deferred();
    const started = deferred();
    const order: string[] = [];
    queue.register(work, async ({ name }) => {
      if (name === "blocker") {
        started.resolve();
        await gate.promise;
      } else {
        order.push(name);
      }
      return name;
    });
    await queue.ready();
    const blocker = queue.run(work, { name: "blocker" });
    await started.promise;
    return { queue, order, release: gate.resolve, blocker };
  }

  it("dispatches waiting jobs Professional first, then Premium, Standard, Basic, Free", async () => {
    const { queue, order, release, blocker } = await busyQueue({
      aging: { stepMs: 3_600_000, intervalMs: 60_000 },
    });
    const names = ["free", "basic", "standard", "premium", "professional"];
    const runs = names.map((name, index) => queue.run(work, { name }, { priority: 5 - index, jobId: name }));
    await untilWaiting(queue, names);
    release();
    await Promise.all([blocker, ...runs]);
    expect(order).toEqual(["professional", "premium", "standard", "basic", "free"]);
    await queue.close();
  });

  it("ages a waiting Free job ahead of Professional jobs submitted after it earned the top priority", async () => {
    let offset = 0;
    const { queue, order, release, blocker } = await busyQueue({
      aging: { stepMs: 1_000, intervalMs: 60_000 },
      now: () => Date.now() + offset,
    });
    const free = ["free-1", "free-2"].map((name) => queue.run(work, { name }, { priority: 5, jobId: name }));
    const early = queue.run(work, { name: "pro-early" }, { priority: 1, jobId: "pro-early" });
    await untilWaiting(queue, ["free-1", "free-2", "pro-early"]);
    offset = 4_500; // as if the Free jobs had waited four and a half steps
    expect(await queue.ageWaitingJobs()).toBe(2);
    const floodIds = Array.from({ length: 8 }, (_, i) => `pro-${i}`);
    const flood = floodIds.map((name) => queue.run(work, { name }, { priority: 1, jobId: name }));
    await untilWaiting(queue, floodIds);
    release();
    await Promise.all([blocker, ...free, early, ...flood]);
    // The Professional job that was already waiting keeps its place; the later flood waits behind Free.
    expect(order.slice(0, 3)).toEqual(["pro-early", "free-1", "free-2"]);
    expect(order).toHaveLength(11);
    await queue.close();
  });

  it("tells a waiting job its position and, once durations are known, its estimated completion", async () => {
    // A hand-driven clock: every warm-up job lasts exactly 40 ms of it.
    let clock = Date.now();
    const queue = createTestQueue(TEST_REDIS_URL, prefixes.next(), { concurrency: 1, now: () => clock });
    const gate = deferred();
    const started = deferred();
    queue.register(work, async ({ name }) => {
      if (name === "blocker") {
        started.resolve();
        await gate.promise;
      } else if (name.startsWith("warm")) {
        clock += 40;
      }
      return name;
    });
    await queue.ready();
    await Promise.all([queue.run(work, { name: "warm-1" }), queue.run(work, { name: "warm-2" })]);
    const blocker = queue.run(work, { name: "blocker" }, { jobId: "blocker" });
    await started.promise;
    const runs = [
      queue.run(work, { name: "a" }, { priority: 5, jobId: "a" }),
      queue.run(work, { name: "b" }, { priority: 1, jobId: "b" }),
      queue.run(work, { name: "c" }, { priority: 5, jobId: "c" }),
    ];
    await untilWaiting(queue, ["a", "b", "c"]);
    expect((await queue.position(work, "b")).position).toBe(0);
    expect((await queue.position(work, "a")).position).toBe(1);
    expect((await queue.position(work, "blocker")).state).toBe("active");
    // Durations reach Redis in batches: wait for the warm-up jobs' to land. One job runs at a time
    // (the blocker), so "c" waits for two jobs, then runs: three average durations from now.
    await vi.waitFor(
      async () => {
        const c = await queue.position(work, "c");
        expect(c.position).toBe(2);
        expect(c.estimatedCompletion?.getTime()).toBe(clock + 3 * 40);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect((await queue.position(work, "a")).estimatedCompletion?.getTime()).toBe(clock + 2 * 40);
    expect((await queue.position(work, "nobody")).state).toBe("unknown");
    gate.resolve();
    await Promise.all([blocker, ...runs]);
    await queue.close();
  });

  it("keeps a Free job progressing under a continuous flood of Professional jobs", async () => {
    const queue = createTestQueue(TEST_REDIS_URL, prefixes.next(), {
      concurrency: 1,
      aging: { stepMs: 150, intervalMs: 100 },
    });
    let professionalDone = 0;
    queue.register(work, async ({ name }) => {
      await new Promise((r) => setTimeout(r, 10));
      if (name.startsWith("pro")) professionalDone += 1;
      return name;
    });
    await queue.ready();
    let freeDone = false;
    let flooding = true;
    const pending: Promise<unknown>[] = [];
    const flood = (async () => {
      // Keep about 20 Professional jobs waiting at all times, for at most 20 s.
      const until = Date.now() + 20_000;
      for (let i = 0; flooding && Date.now() < until; i++) {
        if (queue.stats().waiting < 20) pending.push(queue.run(work, { name: `pro-${i}` }, { priority: 1 }));
        else await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    const free = queue.run(work, { name: "free" }, { priority: 5 }).then(() => {
      freeDone = true;
    });
    await Promise.race([free, flood]);
    flooding = false;
    expect(freeDone).toBe(true);
    expect(professionalDone).toBeGreaterThan(0);
    await flood;
    await Promise.all(pending);
    await queue.close();
  }, 60_000);

  it("limits jobs in flight per tier and per user across the queue", async () => {
    const queue = createTestQueue(TEST_REDIS_URL, prefixes.next(), {
      concurrency: 4,
      limits: { perTier: { 5: 1 }, perUser: 1, retryDelayMs: 20 },
    });
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const track = async (key: string) => {
      running.set(key, (running.get(key) ?? 0) + 1);
      peak.set(key, Math.max(peak.get(key) ?? 0, running.get(key) ?? 0));
      await new Promise((r) => setTimeout(r, 30));
      running.set(key, (running.get(key) ?? 0) - 1);
    };
    queue.register(work, async ({ name }) => {
      const [tier, user] = name.split("/") as [string, string];
      await Promise.all([track(`tier:${tier}`), track(`user:${user}`)]);
      return name;
    });
    await queue.ready();
    const jobs = [
      ...Array.from({ length: 4 }, (_, i) =>
        queue.run(work, { name: `5/free-${i}` }, { priority: 5, userId: `free-${i}` }),
      ),
      ...Array.from({ length: 3 }, (_, i) =>
        queue.run(work, { name: `1/alice-${i}` }, { priority: 1, userId: "alice" }),
      ),
      ...Array.from({ length: 3 }, (_, i) =>
        queue.run(work, { name: `1/bob-${i}` }, { priority: 1, userId: "bob" }),
      ),
    ];
    await Promise.all(jobs);
    expect(peak.get("tier:5")).toBe(1);
    for (let i = 0; i < 3; i++) {
      expect(peak.get(`user:alice-${i}`)).toBe(1);
    }
    // Alice and Bob each hold one slot at a time, so Professional ran at most two at once.
    expect(peak.get("tier:1")).toBeLessThanOrEqual(2);
    await queue.close();
  }, 30_000);
});
