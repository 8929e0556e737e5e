import type { QueueConfig } from "../config/index.ts";
import type { BullmqJobQueue, BullmqJobQueueOptions } from "./bullmq-job-queue.ts";
import { createEmbeddedJobQueue } from "./embedded-job-queue.ts";
import type { JobQueue } from "./job-queue.ts";

/** Options of {@link createJobQueue}, passed on to the implementation the configuration selects. */
export type JobQueueOptions = Omit<BullmqJobQueueOptions, "connection">;

/**
 * The job queue the configuration selects: BullMQ on `REDIS_URL` when it is set (work shared with
 * `litink worker` processes on any machine), otherwise the in-process embedded queue. BullMQ and
 * ioredis are loaded only in the first case.
 */
export async function createJobQueue(config: QueueConfig, options: JobQueueOptions = {}): Promise<JobQueue> {
  switch (config.kind) {
    case "bullmq":
      return await loadBullmqJobQueue({ ...options, connection: config.url });
    case "embedded":
      return createEmbeddedJobQueue({ concurrency: options.concurrency });
  }
}

/**
 * A BullMQ queue on the Redis of `options.connection`. BullMQ and ioredis (a few hundred modules) are
 * loaded by the first call, so that a process without `REDIS_URL` never loads them.
 */
export async function loadBullmqJobQueue(options: BullmqJobQueueOptions): Promise<BullmqJobQueue> {
  const { createBullmqJobQueue } = await import("./bullmq-job-queue.ts");
  return createBullmqJobQueue(options);
}
