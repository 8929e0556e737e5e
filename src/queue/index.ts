export { createEmbeddedJobQueue, type EmbeddedJobQueueOptions } from "./embedded-job-queue.ts";
export {
  defineJob,
  type EnqueueOptions,
  type JobContext,
  type JobDefinition,
  type JobHandler,
  type JobQueue,
  type QueueStats,
} from "./job-queue.ts";
export { isRetryableJobError, UnrecoverableJobError } from "./queue-errors.ts";
