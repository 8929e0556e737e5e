import { afterAll } from "vitest";
import { serviceAvailable, TEST_REDIS_URL } from "../../test/support/services.ts";
import { describeJobQueueConformance } from "./job-queue.conformance.ts";
import { createTestPrefixes, createTestQueue } from "./test-support/bullmq-test-queue.ts";

const prefixes = createTestPrefixes(TEST_REDIS_URL);

if (await serviceAvailable("Redis", TEST_REDIS_URL)) {
  describeJobQueueConformance("bullmq", async (concurrency) => {
    const queue = createTestQueue(TEST_REDIS_URL, prefixes.next(), { concurrency });
    await queue.ready();
    return queue;
  });
  afterAll(() => prefixes.cleanup());
}
