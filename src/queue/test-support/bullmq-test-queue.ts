import { Redis } from "ioredis";
import { serviceAvailable, TEST_REDIS_URL, uniqueName } from "../../test/support/services.ts";
import { type BullmqJobQueue, type BullmqJobQueueOptions, createBullmqJobQueue } from "./bullmq-job-queue.ts";

/** Whether the test Redis answers (in CI a missing Redis throws instead). */
export const redisAvailable = (): Promise<boolean> => serviceAvailable("Redis", TEST_REDIS_URL);

/** Key prefixes for one test file: each queue gets its own, all removed by `cleanup`. */
export function createTestPrefixes(): { next(): string; cleanup(): Promise<void> } {
  const run = uniqueName("litink-test");
  let count = 0;
  return {
    next: () => `${run}-${++count}`,
    async cleanup() {
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${run}-*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

/** A BullMQ queue on the test Redis that notices a dead worker's job within about a second. */
export function createTestQueue(
  prefix: string,
  options: Partial<BullmqJobQueueOptions> = {},
): BullmqJobQueue {
  return createBullmqJobQueue({
    connection: TEST_REDIS_URL,
    prefix,
    stalledIntervalMs: 500,
    lockDurationMs: 1000,
    ...options,
  });
}
