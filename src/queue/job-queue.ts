import type { z } from "zod";

/**
 * One job type, declared once: its name, payload schema and policies. Handlers are typed from it, and
 * every queue implementation (embedded, BullMQ) enforces the same policies.
 */
export interface JobDefinition<Payload, Result> {
  readonly type: string;
  readonly payload: z.ZodType<Payload>;
  /** A run longer than this is aborted (its signal fires) and counts as a failed attempt. */
  readonly timeoutMs: number;
  /** Total tries, the first included. @defaultValue 1 */
  readonly attempts: number;
  /** Wait before retry n is `backoffMs * 2^(n-1)`. */
  readonly backoffMs: number;
  /** Phantom field carrying the result type; never set. */
  readonly __result?: Result;
}

/** Declares a job type (see {@link JobDefinition}). */
export function defineJob<Payload, Result>(
  definition: Omit<JobDefinition<Payload, Result>, "__result">,
): JobDefinition<Payload, Result> {
  return definition;
}

/** What a handler gets besides its payload. */
export interface JobContext {
  readonly jobId: string;
  /** 1 for the first try. */
  readonly attempt: number;
  /** Fires on timeout or queue shutdown: stop work and clean up. */
  readonly signal: AbortSignal;
}

/** Runs one job type. Throw `UnrecoverableJobError` for failures a retry cannot fix. */
export type JobHandler<Payload, Result> = (payload: Payload, context: JobContext) => Promise<Result>;

/** Options of {@link JobQueue.run}. */
export interface EnqueueOptions {
  /** 1 runs first (Professional), larger numbers later (Free is 5). @defaultValue 5 */
  readonly priority?: number | undefined;
  /** A stable id: running the same id while it is in flight joins the running job instead of adding one. */
  readonly jobId?: string | undefined;
  /** The user the job is for: the BullMQ queue limits each user's jobs in flight. */
  readonly userId?: string | undefined;
  /** Cancels the job (waiting or running). */
  readonly signal?: AbortSignal | undefined;
}

/** Counts of jobs by state, for progress and `litink queue`. */
export interface QueueStats {
  readonly waiting: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
}

/**
 * Where pipeline work runs: in this process with bounded concurrency (embedded), or on BullMQ workers
 * across machines. Work is submitted as typed jobs and awaited for its result.
 */
export interface JobQueue {
  readonly kind: "embedded" | "bullmq";
  /** Registers the handler of a job type. */
  register<Payload, Result>(
    definition: JobDefinition<Payload, Result>,
    handler: JobHandler<Payload, Result>,
  ): void;
  /** Submits a job and resolves with its result (after its retries), or rejects with its last error. */
  run<Payload, Result>(
    definition: JobDefinition<Payload, Result>,
    payload: Payload,
    options?: EnqueueOptions,
  ): Promise<Result>;
  stats(): QueueStats;
  /** Stops taking jobs, aborts running ones and rejects waiting ones. */
  close(): Promise<void>;
}
