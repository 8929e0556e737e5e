import { Redis } from "ioredis";
import { afterAll } from "vitest";
import { serviceAvailable, TEST_REDIS_URL, uniqueName } from "../../test/support/services.ts";
import { type BullmqJobQueueOptions, createBullmqJobQueue } from "./bullmq-job-queue.ts";
import { describeJobQueueConformance } from "./job-queue.conformance.ts";

const redisUp = await serviceAvailable("Redis", TEST_REDIS_URL);
const runPrefix = uniqueName("litink-test");
let queues = 0;

/** A BullMQ queue under a prefix of its own (within this run's), quick to notice stalled jobs. */
export function createTestQueue(options: Partial<BullmqJobQueueOptions> = {}) {
  queues += 1;
  return createBullmqJobQueue({
    connection: TEST_REDIS_URL,
    prefix: `${runPrefix}-${queues}`,
    stalledIntervalMs: 500,
    lockDurationMs: 1000,
    ...options,
  });
}

if (redisUp) {
  describeJobQueueConformance("bullmq", async (concurrency) => {
    const queue = createTestQueue({ concurrency });
    await queue.ready();
    return queue;
  });

  afterAll(async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${runPrefix}-*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });
}
