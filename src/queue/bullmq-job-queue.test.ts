import { afterAll } from "vitest";
import { createTestPrefixes, createTestQueue, redisAvailable } from "./bullmq-test-support.ts";
import { describeJobQueueConformance } from "./job-queue.conformance.ts";

const prefixes = createTestPrefixes();

if (await redisAvailable()) {
  describeJobQueueConformance("bullmq", async (concurrency) => {
    const queue = createTestQueue(prefixes.next(), { concurrency });
    await queue.ready();
    return queue;
  });
  afterAll(() => prefixes.cleanup());
}
