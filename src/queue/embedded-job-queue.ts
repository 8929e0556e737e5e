import { randomUUID } from "node:crypto";
import { LitinkError } from "../errors/index.ts";
import type {
  EnqueueOptions,
  JobContext,
  JobDefinition,
  JobHandler,
  JobQueue,
  QueueStats,
} from "./job-queue.ts";
import { isRetryableJobError } from "./queue-errors.ts";

/** Options of {@link createEmbeddedJobQueue}. */
export interface EmbeddedJobQueueOptions {
  /** Jobs running at once in this process. @defaultValue 2 */
  readonly concurrency?: number | undefined;
  /** Waits `ms`; injectable for tests. @defaultValue a timer */
  readonly sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
}

interface Waiting {
  readonly sequence: number;
  readonly priority: number;
  readonly start: () => void;
  readonly cancel: (reason: unknown) => void;
}

const DEFAULT_PRIORITY = 5;

/**
 * An in-process {@link JobQueue}: a priority queue (lower number first, FIFO within a priority) with
 * bounded concurrency, per-type timeouts and retries with exponential backoff. Nothing survives the
 * process; resumability comes from the content-addressed asset cache, not from the queue.
 */
export function createEmbeddedJobQueue(options: EmbeddedJobQueueOptions = {}): JobQueue {
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const sleep = options.sleep ?? defaultSleep;
  const handlers = new Map<string, JobHandler<unknown, unknown>>();
  const waiting: Waiting[] = [];
  const inFlight = new Map<string, Promise<unknown>>();
  const running = new Set<AbortController>();
  let active = 0;
  let sequence = 0;
  let completed = 0;
  let failed = 0;
  let closed = false;

  const pump = (): void => {
    while (active < concurrency && waiting.length > 0) {
      waiting.sort((a, b) => a.priority - b.priority || a.sequence - b.sequence);
      const next = waiting.shift()!;
      active += 1;
      next.start();
    }
  };

  /** Waits for a free slot, then runs `work` in it. */
  const inSlot = <T>(priority: number, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        sequence: sequence++,
        priority,
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          work()
            .then(resolve, reject)
            .finally(() => {
              active -= 1;
              pump();
            });
        },
        cancel: reject,
      };
      const onAbort = (): void => {
        const index = waiting.indexOf(entry);
        if (index >= 0) waiting.splice(index, 1);
        reject(cancelled("the job was cancelled before it started"));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      waiting.push(entry);
      pump();
    });

  const attemptOnce = async <P, R>(
    definition: JobDefinition<P, R>,
    handler: JobHandler<P, R>,
    payload: P,
    jobId: string,
    attempt: number,
    outer: AbortSignal | undefined,
  ): Promise<R> => {
    const controller = new AbortController();
    running.add(controller);
    const onOuterAbort = (): void => controller.abort(cancelled("the job was cancelled"));
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    const timer = setTimeout(
      () =>
        controller.abort(
          new LitinkError(
            "queue.timeout",
            `job ${definition.type} timed out after ${definition.timeoutMs} ms`,
            {
              retryable: true,
            },
          ),
        ),
      definition.timeoutMs,
    );
    const context: JobContext = { jobId, attempt, signal: controller.signal };
    try {
      return await Promise.race([
        handler(payload, context),
        new Promise<never>((_, reject) => {
          controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
        }),
      ]);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
      running.delete(controller);
    }
  };

  return {
    kind: "embedded",

    register<P, R>(definition: JobDefinition<P, R>, handler: JobHandler<P, R>): void {
      if (handlers.has(definition.type)) {
        throw new LitinkError(
          "queue.duplicate_handler",
          `a handler for ${definition.type} is already registered`,
        );
      }
      handlers.set(definition.type, handler as JobHandler<unknown, unknown>);
    },

    run<P, R>(definition: JobDefinition<P, R>, payload: P, enqueueOptions: EnqueueOptions = {}): Promise<R> {
      if (closed) return Promise.reject(new LitinkError("queue.closed", "the job queue is closed"));
      const handler = handlers.get(definition.type) as JobHandler<P, R> | undefined;
      if (!handler) {
        return Promise.reject(
          new LitinkError("queue.no_handler", `no handler is registered for jobs of type ${definition.type}`),
        );
      }
      const parsed = definition.payload.safeParse(payload);
      if (!parsed.success) {
        return Promise.reject(
          new LitinkError(
            "queue.invalid_payload",
            `invalid ${definition.type} payload: ${parsed.error.message}`,
          ),
        );
      }
      const jobId = enqueueOptions.jobId ?? randomUUID();
      const existing = inFlight.get(jobId);
      if (existing) return existing as Promise<R>;

      const priority = enqueueOptions.priority ?? DEFAULT_PRIORITY;
      const signal = enqueueOptions.signal;
      const job = (async (): Promise<R> => {
        for (let attempt = 1; ; attempt++) {
          try {
            const result = await inSlot(priority, signal, () =>
              attemptOnce(definition, handler, parsed.data, jobId, attempt, signal),
            );
            completed += 1;
            return result;
          } catch (error) {
            const last =
              attempt >= definition.attempts || signal?.aborted || closed || !isRetryableJobError(error);
            if (last) {
              failed += 1;
              throw error;
            }
            const controller = new AbortController();
            const abort = (): void => controller.abort();
            signal?.addEventListener("abort", abort, { once: true });
            try {
              await sleep(definition.backoffMs * 2 ** (attempt - 1), controller.signal);
            } finally {
              signal?.removeEventListener("abort", abort);
            }
          }
        }
      })().finally(() => inFlight.delete(jobId));
      inFlight.set(jobId, job);
      return job;
    },

    stats(): QueueStats {
      return { waiting: waiting.length, active, completed, failed };
    },

    async close(): Promise<void> {
      closed = true;
      for (const entry of waiting.splice(0))
        entry.cancel(new LitinkError("queue.closed", "the job queue closed"));
      for (const controller of running)
        controller.abort(new LitinkError("queue.closed", "the job queue closed"));
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}

function cancelled(message: string): LitinkError {
  return new LitinkError("queue.cancelled", message);
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(cancelled("the job was cancelled"));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(cancelled("the job was cancelled"));
      },
      { once: true },
    );
  });
}
