import { describe, expect, it } from "vitest";
import { serviceAvailable, TEST_REDIS_URL } from "../../test/support/services.ts";
import { createJobQueue } from "./create-job-queue.ts";
import { createTestPrefixes } from "./test-support/bullmq-test-queue.ts";

const up = await serviceAvailable("Redis", TEST_REDIS_URL);

describe("createJobQueue", () => {
  it("runs jobs in process without REDIS_URL", async () => {
    const queue = await createJobQueue({ kind: "embedded" }, { concurrency: 3 });
    expect(queue.kind).toBe("embedded");
    await queue.close();
  });

  it.skipIf(!up)("uses BullMQ on the configured Redis", async () => {
    const prefixes = createTestPrefixes(TEST_REDIS_URL);
    const queue = await createJobQueue({ kind: "bullmq", url: TEST_REDIS_URL }, { prefix: prefixes.next() });
    expect(queue.kind).toBe("bullmq");
    await queue.close();
    await prefixes.cleanup();
  });
});
