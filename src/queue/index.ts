export type { BullmqJobQueue, BullmqJobQueueOptions } from "./bullmq-job-queue.ts";
export { createJobQueue, type JobQueueOptions, loadBullmqJobQueue } from "./create-job-queue.ts";
export { createEmbeddedJobQueue, type EmbeddedJobQueueOptions } from "./embedded-job-queue.ts";
export {
  createEmbeddedEventBus,
  createRedisEventBus,
  type EmbeddedEventBusOptions,
  type JobEvent,
  type JobEventBus,
  type RedisEventBusOptions,
} from "./job-events.ts";
export {
  defineJob,
  type EnqueueOptions,
  type JobContext,
  type JobDefinition,
  type JobHandler,
  type JobQueue,
  type QueueStats,
} from "./job-queue.ts";
export { handlePing, type PingResult, pingJob } from "./ping-job.ts";
export { isRetryableJobError, UnrecoverableJobError, willRunAgain } from "./queue-errors.ts";
export type { QueuePosition } from "./queue-estimate.ts";
export {
  type InspectOptions,
  inspectJobGroup,
  inspectQueues,
  type JobGroupOptions,
  type JobGroupReport,
  type QueueReport,
  type TierDepth,
} from "./queue-inspector.ts";
export { createQueueMetrics, type QueueMetrics } from "./queue-metrics.ts";
export { type AgingPolicy, DEFAULT_AGING, type InFlightLimits } from "./tier-policy.ts";
export { type WorkerJob, workerJob } from "./worker-job.ts";
