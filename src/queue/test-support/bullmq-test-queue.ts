import { Redis } from "ioredis";
import {
  type BullmqJobQueue,
  type BullmqJobQueueOptions,
  createBullmqJobQueue,
} from "../bullmq-job-queue.ts";

/** Key prefixes for one test file on the Redis at `connection`: each queue gets its own, all removed by `cleanup`. */
export function createTestPrefixes(connection: string): { next(): string; cleanup(): Promise<void> } {
  const run = `litink-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  let count = 0;
  return {
    next: () => `${run}-${++count}`,
    async cleanup() {
      const redis = new Redis(connection);
      const keys = await redis.keys(`${run}-*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

/** A BullMQ queue that notices a dead worker's job within about a second. */
export function createTestQueue(
  connection: string,
  prefix: string,
  options: Partial<BullmqJobQueueOptions> = {},
): BullmqJobQueue {
  return createBullmqJobQueue({
    connection,
    prefix,
    stalledIntervalMs: 500,
    lockDurationMs: 1000,
    ...options,
  });
}
