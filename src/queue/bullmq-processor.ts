import { DelayedError, type Job, type Processor, UnrecoverableError, WaitingError } from "bullmq";
import { LitinkError } from "../errors/index.ts";
import type { InFlightLimiter } from "./in-flight-limiter.ts";
import { type JobEnvelope, jobEnvelopeSchema } from "./job-envelope.ts";
import { encodeJobFailure } from "./job-failure.ts";
import type { JobDefinition, JobHandler } from "./job-queue.ts";
import { HANDED_BACK, isFinalFailure } from "./queue-errors.ts";
import type { QueueMetrics } from "./queue-metrics.ts";

/** Abort reason of a job handed back to the queue (worker shutdown): another worker runs it. */

/** One job running in this process. */
export interface RunningJob {
  /** Aborts the run: its handler's signal fires and the run fails with `reason`. */
  abort(reason: unknown): void;
}

/**
 * The abort of one run. The handler's AbortSignal is made on first read: most of what an empty job
 * costs otherwise, and a handler that never looks at it cannot miss it.
 */
function createRunAbort() {
  let controller: AbortController | undefined;
  let aborted = false;
  let reason: unknown;
  let reject: ((reason: unknown) => void) | undefined;
  return {
    /** Settles as `work` does, or rejects with the reason once aborted, whichever comes first. */
    race<T>(work: Promise<T>): Promise<T> {
      return new Promise<T>((resolve, rejectWith) => {
        reject = rejectWith;
        if (aborted) rejectWith(reason);
        work.then(resolve, rejectWith);
      });
    },
    get signal(): AbortSignal {
      controller ??= new AbortController();
      if (aborted && !controller.signal.aborted) controller.abort(reason);
      return controller.signal;
    },
    get aborted(): boolean {
      return aborted;
    },
    get reason(): unknown {
      return reason;
    },
    abort(why: unknown): void {
      if (aborted) return;
      aborted = true;
      reason = why;
      controller?.abort(why);
      reject?.(why);
    },
  };
}

/** A job's final outcome: its result, or its failure encoded by `encodeJobFailure`. */
export type JobOutcome = { readonly value: unknown } | { readonly failure: string };

/** What the processor of one job type needs. */
export interface ProcessorResources {
  readonly definition: JobDefinition<unknown, unknown>;
  readonly handler: JobHandler<unknown, unknown>;
  readonly running: Map<string, RunningJob>;
  readonly limiter: InFlightLimiter | undefined;
  readonly retryDelayMs: number;
  readonly metrics: QueueMetrics | undefined;
  readonly recordDuration: (type: string, ms: number) => void;
  /**
   * Sends the final outcome of a job (never that of an attempt that will be retried) to the processes
   * awaiting it, before BullMQ records it; never rejects (a lost reply is found by the submitter's check).
   * Returns nothing when the outcome was delivered in memory.
   */
  readonly reply: (envelope: JobEnvelope, bullId: string, outcome: JobOutcome) => Promise<void> | undefined;
  /** Tells the processes awaiting a job that it started here; never throws, need not be awaited. */
  readonly notifyStarted: (envelope: JobEnvelope, bullId: string) => void;
  readonly now: () => number;
}

/**
 * The BullMQ processor of one job type: validates the envelope, enforces the in-flight limits (a job over
 * a limit goes back to the delayed set without using an attempt), runs the handler under the type's
 * timeout, and maps failures onto BullMQ: unrecoverable or non-retryable errors become
 * `UnrecoverableError` (no retry), a handed-back job returns to the waiting set. The final outcome (a
 * result, or a failure that will not be retried) goes to the submitters through `reply`.
 */
export function createJobProcessor(resources: ProcessorResources): Processor {
  const { definition, handler, running, limiter, metrics, now } = resources;
  return async (job: Job, token?: string) => {
    const parsed = jobEnvelopeSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        encodeJobFailure(
          new LitinkError("queue.invalid_envelope", `job ${job.id} of ${definition.type} has malformed data`),
        ),
      );
    }
    const envelope = parsed.data;
    const jobId = job.id ?? envelope.id;
    const member = `${definition.type}:${jobId}`;
    if (
      limiter &&
      !(await limiter.acquire(member, envelope.tier, envelope.userId, definition.timeoutMs + 60_000))
    ) {
      await job.moveToDelayed(now() + resources.retryDelayMs, token);
      throw new DelayedError();
    }
    const started = now();
    if (job.attemptsMade === 0)
      metrics?.observeWait(envelope.tier, (job.processedOn ?? started) - job.timestamp);

    resources.notifyStarted(envelope, jobId);
    const run = createRunAbort();
    running.set(jobId, run);
    const timer = setTimeout(
      () =>
        run.abort(
          new LitinkError(
            "queue.timeout",
            `job ${definition.type} timed out after ${definition.timeoutMs} ms`,
            { retryable: true },
          ),
        ),
      definition.timeoutMs,
    );
    try {
      const result = await run.race(
        handler(envelope.payload, {
          jobId: envelope.id,
          attempt: job.attemptsMade + 1,
          get signal() {
            return run.signal;
          },
        }),
      );
      const duration = now() - started;
      metrics?.observeDuration(definition.type, duration);
      resources.recordDuration(definition.type, duration);
      const value = result === undefined ? null : result;
      const sent = resources.reply(envelope, jobId, { value });
      if (sent) await sent;
      return value;
    } catch (error) {
      const reason: unknown = run.aborted ? run.reason : error;
      if (reason instanceof LitinkError && reason.code === HANDED_BACK) {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      metrics?.countFailure(definition.type);
      const final = isFinalFailure(reason);
      const failure = encodeJobFailure(reason);
      if (final || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await resources.reply(envelope, jobId, { failure });
      }
      if (final) throw new UnrecoverableError(failure);
      throw new Error(failure);
    } finally {
      clearTimeout(timer);
      running.delete(jobId);
      if (limiter) await limiter.release(member, envelope.tier, envelope.userId);
    }
  };
}
