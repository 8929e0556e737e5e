import type { JobDefinition, JobHandler } from "./job-queue.ts";

/** One entry of a worker's job catalog: a job type and the handler that runs it. */
export interface WorkerJob {
  readonly definition: JobDefinition<unknown, unknown>;
  readonly handler: JobHandler<unknown, unknown>;
}

/** Pairs a job definition with its handler, type-checked together, for a worker's catalog. */
export function workerJob<Payload, Result>(
  definition: JobDefinition<Payload, Result>,
  handler: JobHandler<Payload, Result>,
): WorkerJob {
  return {
    definition: definition as JobDefinition<unknown, unknown>,
    handler: handler as JobHandler<unknown, unknown>,
  };
}
