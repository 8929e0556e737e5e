import type { QueueConfig } from "../config/index.ts";
import { type BullmqJobQueueOptions, createBullmqJobQueue } from "./bullmq-job-queue.ts";
import { createEmbeddedJobQueue } from "./embedded-job-queue.ts";
import type { JobQueue } from "./job-queue.ts";

/** Options of {@link createJobQueue}, passed on to the implementation the configuration selects. */
export type JobQueueOptions = Omit<BullmqJobQueueOptions, "connection">;

/**
 * The job queue the configuration selects: BullMQ on `REDIS_URL` when it is set (work shared with
 * `litink worker` processes on any machine), otherwise the in-process embedded queue.
 */
export function createJobQueue(config: QueueConfig, options: JobQueueOptions = {}): JobQueue {
  switch (config.kind) {
    case "bullmq":
      return createBullmqJobQueue({ ...options, connection: config.url });
    case "embedded":
      return createEmbeddedJobQueue({ concurrency: options.concurrency });
  }
}
