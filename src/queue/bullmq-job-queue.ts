import { randomUUID } from "node:crypto";
import { Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { LitinkError } from "../errors/index.ts";
import { createSilentLogger, type Logger } from "../logging/index.ts";
import { ageWaitingJobs } from "./age-waiting-jobs.ts";
import { toBullmqJobId } from "./bullmq-job-id.ts";
import { createJobProcessor, type JobOutcome, type RunningJob } from "./bullmq-processor.ts";
import {
  createReplyChannel,
  deliverReply,
  type JobReply,
  type ReplyChannel,
  registerJoiner,
} from "./bullmq-reply-channel.ts";
import { createInFlightLimiter } from "./in-flight-limiter.ts";
import { type JobEnvelope, jobEnvelopeSchema } from "./job-envelope.ts";
import { decodeJobFailure, encodeJobFailure } from "./job-failure.ts";
import type { EnqueueOptions, JobDefinition, JobHandler, JobQueue, QueueStats } from "./job-queue.ts";
import { HANDED_BACK } from "./queue-errors.ts";
import type { QueuePosition } from "./queue-estimate.ts";
import type { QueueMetrics } from "./queue-metrics.ts";
import { readJobOutcomes } from "./read-job-outcome.ts";
import { readJobPosition } from "./read-job-position.ts";
import { createRecentDurations } from "./recent-durations.ts";
import { type AgingPolicy, DEFAULT_AGING, type InFlightLimits, tierPriority } from "./tier-policy.ts";

/** Options of {@link createBullmqJobQueue}. */
export interface BullmqJobQueueOptions {
  /** The Redis URL (`REDIS_URL`), e.g. `redis://127.0.0.1:6379`. */
  readonly connection: string;
  /** Prefix of every Redis key; separate deployments (or test runs) use separate prefixes. @defaultValue "litink" */
  readonly prefix?: string | undefined;
  /** Jobs of one type this process runs at once. @defaultValue 2 */
  readonly concurrency?: number | undefined;
  /** Job types this process works on (`litink worker --queues`); registering others only types them. @defaultValue every registered type */
  readonly queues?: readonly string[] | undefined;
  /** The anti-starvation policy (see {@link AgingPolicy}). @defaultValue {@link DEFAULT_AGING} */
  readonly aging?: AgingPolicy | undefined;
  /** Jobs in flight per tier and per user; none by default. */
  readonly limits?: InFlightLimits | undefined;
  /** How often workers look for jobs whose worker died. @defaultValue 30000 */
  readonly stalledIntervalMs?: number | undefined;
  /** How long a job's lock lives without renewal; a dead worker's job is stalled after it. @defaultValue 30000 */
  readonly lockDurationMs?: number | undefined;
  /**
   * How long a submitter waits for a job's reply before it reads the job's outcome from Redis instead
   * (and again at this interval): the fallback for a reply lost with a dropped connection, or a job
   * failed by the stalled-job check. @defaultValue 15000
   */
  readonly outcomeCheckIntervalMs?: number | undefined;
  /** Where the worker records wait times, durations and failures. */
  readonly metrics?: QueueMetrics | undefined;
  readonly logger?: Logger | undefined;
  /** The clock, in epoch ms. @defaultValue Date.now */
  readonly now?: (() => number) | undefined;
}

/** The BullMQ {@link JobQueue}, with what only a shared queue can tell. */
export interface BullmqJobQueue extends JobQueue {
  readonly kind: "bullmq";
  /**
   * Adds a job that no process awaits (a detached submission, e.g. `litink render --detach`): it waits
   * in the shared queue until a worker runs it, and closing this queue leaves it there. Resolves once the
   * job is stored in Redis; its outcome is kept there for an hour like every job's.
   */
  submit<Payload, Result>(
    definition: JobDefinition<Payload, Result>,
    payload: Payload,
    options: Omit<EnqueueOptions, "signal"> & { readonly jobId: string },
  ): Promise<void>;
  /** Where a job stands: jobs ahead of it and its estimated completion. */
  position(definition: JobDefinition<unknown, unknown>, jobId: string): Promise<QueuePosition>;
  /** Runs one aging pass now (workers also run it every `aging.intervalMs`); returns the jobs promoted. */
  ageWaitingJobs(): Promise<number>;
  /** Resolves once this process's workers and reply channel are connected. */
  ready(): Promise<void>;
  /**
   * Stops taking jobs and waits up to `graceMs` for running ones to finish; the rest are handed back to
   * the queue (another worker runs them). Then behaves as {@link JobQueue.close}.
   */
  shutdown(options: { readonly graceMs: number }): Promise<void>;
}

interface Lane {
  readonly queue: Queue;
  worker?: Worker;
}

/** A `run` of this process awaiting its job's outcome. */
interface Waiter {
  readonly type: string;
  readonly bullId: string;
  /** "active" once a worker (here, or elsewhere by its start notice) has started the job. */
  state: "waiting" | "active";
  settled: boolean;
  /** The submission whose outcome settles this waiter; undefined takes any (a job joined by id, not yet looked up). */
  nonce: string | undefined;
  /** Whether the job was added: only then may a check find it missing. */
  added: boolean;
  /** When Redis was last asked for the job's outcome (or the job was added), epoch ms. */
  checkedAt: number;
  /** Checks in a row that found neither the job nor its outcome. */
  missing: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** Stops listening to the caller's abort signal. */
  cleanup: (() => void) | undefined;
  /** What `run` returned: a `run` of the same id joins it. */
  promise: Promise<unknown> | undefined;
}

const CANCEL_CHANNEL = "litink:cancel";
/** On shutdown, best-effort Redis writes give up after this long (Redis may be down). */
const SHUTDOWN_REDIS_WAIT_MS = 3000;

/**
 * A {@link JobQueue} on BullMQ (Redis): one BullMQ queue per job type, shared by every process with the
 * same Redis and prefix. `run` adds a job and resolves with the result a worker (in this process or any
 * other) sends to this process's reply list (decision 0010); `register` starts a worker for the type in
 * this process. Priorities follow the tier
 * with aging (see {@link AgingPolicy}); jobs of a dead worker are picked up by another one after
 * `lockDurationMs`.
 */
export function createBullmqJobQueue(options: BullmqJobQueueOptions): BullmqJobQueue {
  const prefix = options.prefix ?? "litink";
  const connection = { url: options.connection, maxRetriesPerRequest: null };
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const aging = options.aging ?? DEFAULT_AGING;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createSilentLogger();
  // Auto-pipelining: the replies of jobs finishing together go out in one write.
  const redis = new Redis(options.connection, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  redis.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
  const limiter = options.limits
    ? createInFlightLimiter(redis, `${prefix}:litink`, options.limits, now)
    : undefined;
  const lanes = new Map<string, Lane>();
  const handlers = new Map<string, JobHandler<unknown, unknown>>();
  const waiters = new Map<string, Waiter>();
  const running = new Map<string, RunningJob>();
  const durations = createRecentDurations(redis, `${prefix}:litink`);
  const checkIntervalMs = Math.max(1, options.outcomeCheckIntervalMs ?? 15_000);
  /** This process's name on the reply channel: the `replyTo` of the jobs it submits. */
  const processId = randomUUID();
  let channel: ReplyChannel | undefined;
  let checkTimer: NodeJS.Timeout | undefined;
  let checking = false;
  let subscriber: Redis | undefined;
  let agingTimer: NodeJS.Timeout | undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  let completed = 0;
  let failed = 0;
  let closed = false;

  const waiterKey = (type: string, bullId: string) => `${type}\u0000${bullId}`;

  const laneFor = (type: string): Lane => {
    let lane = lanes.get(type);
    if (!lane) {
      const queue = new Queue(type, { connection, prefix });
      queue.on("error", (error) => logger.warn({ err: error, type }, "queue connection error"));
      lane = { queue };
      lanes.set(type, lane);
    }
    return lane;
  };

  const settle = (waiter: Waiter, outcome: { value: unknown } | { error: unknown }): void => {
    if (waiter.settled) return;
    waiter.settled = true;
    waiter.cleanup?.();
    const key = waiterKey(waiter.type, waiter.bullId);
    waiters.delete(key);
    if ("value" in outcome) {
      completed += 1;
      waiter.resolve(outcome.value);
    } else {
      failed += 1;
      waiter.reject(outcome.error);
    }
  };

  const outcomeOf = (reply: JobReply): { value: unknown } | { error: unknown } => {
    if (reply.failure !== undefined) return { error: decodeJobFailure(reply.failure, reply.type) };
    const value: unknown = reply.value === undefined ? null : JSON.parse(reply.value);
    return { value: value === null ? undefined : value };
  };

  /** Settles (or, on a start notice, marks active) this process's waiter of the job, if it awaits that submission. */
  const receive = (reply: JobReply): void => {
    const waiter = waiters.get(waiterKey(reply.type, reply.bullId));
    if (!waiter || (waiter.nonce !== undefined && waiter.nonce !== reply.nonce)) return;
    if (reply.started) waiter.state = "active";
    else settle(waiter, outcomeOf(reply));
  };

  /** Whether processes other than this one may await the job (see decision 0010). */
  const awaitedElsewhere = (envelope: JobEnvelope): boolean =>
    envelope.replyTo !== processId || envelope.joinable === true;

  /** The fallback for lost replies: reads the outcome of jobs awaited longer than the check interval (all on reconnect). */
  const checkOutcomes = async (all: boolean): Promise<void> => {
    if (checking) return;
    checking = true;
    try {
      const due = [...waiters.values()].filter(
        (waiter) => waiter.added && (all || Date.now() - waiter.checkedAt >= checkIntervalMs),
      );
      for (let start = 0; start < due.length && !closed; start += 500) {
        const batch = due.slice(start, start + 500);
        const outcomes = await readJobOutcomes(redis, prefix, batch);
        batch.forEach((waiter, index) => {
          const outcome = outcomes[index];
          waiter.checkedAt = Date.now();
          if (waiter.settled || !outcome) return;
          if (outcome.state === "finished") {
            if (waiter.nonce === undefined || waiter.nonce === outcome.reply.nonce) {
              settle(waiter, outcomeOf(outcome.reply));
            }
          } else if (outcome.state === "pending") {
            waiter.missing = 0;
          } else if (++waiter.missing >= 2) {
            // Twice in a row, so a job being replaced under its id is not taken for a removed one.
            settle(waiter, {
              error: cancelled(`job ${waiter.type} ${waiter.bullId} was removed from the queue`),
            });
          }
        });
      }
    } finally {
      checking = false;
    }
  };

  /** Starts reading this process's reply list (on the first `run`). */
  const openChannel = (): void => {
    if (channel || closed) return;
    channel = createReplyChannel({
      connection: options.connection,
      prefix,
      processId,
      logger,
      onReply: receive,
      onReconnect: () => {
        checkOutcomes(true).catch((error: unknown) =>
          logger.warn({ err: error }, "could not check job outcomes"),
        );
      },
    });
    checkTimer = setInterval(() => {
      checkOutcomes(false).catch((error: unknown) =>
        logger.warn({ err: error }, "could not check job outcomes"),
      );
    }, checkIntervalMs);
    checkTimer.unref();
  };

  /** Sends the final outcome of a job this process ran to everyone awaiting it, this process first. */
  const reply = (
    type: string,
    envelope: JobEnvelope,
    bullId: string,
    outcome: JobOutcome,
  ): Promise<void> | undefined => {
    if (!awaitedElsewhere(envelope)) {
      // Submitted here under an id of its own: nobody else awaits it, so nothing goes through Redis.
      const waiter = waiters.get(waiterKey(type, bullId));
      if (!waiter || waiter.nonce !== envelope.nonce) return undefined;
      settle(
        waiter,
        "failure" in outcome
          ? { error: decodeJobFailure(outcome.failure, type) }
          : // JSON round trip: the same value a remote submitter gets.
            { value: outcome.value === null ? undefined : JSON.parse(JSON.stringify(outcome.value)) },
      );
      return undefined;
    }
    const message: JobReply =
      "failure" in outcome
        ? { type, bullId, nonce: envelope.nonce, failure: outcome.failure }
        : { type, bullId, nonce: envelope.nonce, value: JSON.stringify(outcome.value) };
    receive(message);
    return deliverReply(redis, prefix, envelope.replyTo, processId, message).catch((error: unknown) =>
      logger.warn({ err: error, type, bullId }, "could not send a job's reply"),
    );
  };

  /** Marks a job started here as running, for this process and (by a notice) the others awaiting it. */
  const notifyStarted = (type: string, envelope: JobEnvelope, bullId: string): void => {
    const waiter = waiters.get(waiterKey(type, bullId));
    if (waiter && (waiter.nonce === undefined || waiter.nonce === envelope.nonce)) waiter.state = "active";
    if (!awaitedElsewhere(envelope)) return;
    const notice: JobReply = { type, bullId, nonce: envelope.nonce, started: true };
    deliverReply(redis, prefix, envelope.replyTo, processId, notice).catch((error: unknown) =>
      logger.warn({ err: error, type, bullId }, "could not tell a job's submitter it started"),
    );
  };

  /**
   * Removes a job that has not started and tells the other processes awaiting it; asks the worker
   * running it to abort otherwise (its processor then replies with the cancellation).
   */
  const withdraw = async (type: string, bullId: string, abortRunning = true): Promise<void> => {
    const data = await redis.hget(`${prefix}:${type}:${bullId}`, "data");
    const removed = await laneFor(type).queue.remove(bullId);
    if (removed === 0) {
      if (abortRunning) await redis.publish(`${prefix}:${CANCEL_CHANNEL}`, JSON.stringify({ type, bullId }));
      return;
    }
    const envelope = data === null ? undefined : jobEnvelopeSchema.safeParse(JSON.parse(data)).data;
    if (!envelope) return;
    const failure = encodeJobFailure(cancelled(`job ${type} ${bullId} was removed from the queue`));
    await deliverReply(redis, prefix, envelope.replyTo, processId, {
      type,
      bullId,
      nonce: envelope.nonce,
      failure,
    });
  };

  const add = async (
    type: string,
    definition: JobDefinition<unknown, unknown>,
    envelope: JobEnvelope,
    bullId: string,
    priority: number,
    reuseCheck: boolean,
  ): Promise<void> => {
    const queue = laneFor(type).queue;
    const jobOptions = {
      jobId: bullId,
      priority,
      attempts: Math.max(1, definition.attempts),
      backoff: { type: "exponential", delay: definition.backoffMs },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
    };
    await queue.add(type, envelope, jobOptions);
    if (!reuseCheck) return;
    // A caller-chosen id may name a job that already exists: one in flight is joined (this process
    // registered for its reply before adding); one finished by an earlier run (kept failed for
    // inspection) is replaced so the work runs again. Gone already: it finished, and its reply is ours.
    const waiter = waiters.get(waiterKey(type, bullId));
    const existing = await Job.fromId(queue, bullId);
    if (!existing) return;
    const existingNonce = (existing.data as Partial<JobEnvelope>).nonce;
    if (existingNonce === envelope.nonce) {
      if (waiter) waiter.nonce = envelope.nonce;
      return;
    }
    const state = await existing.getState();
    if (state === "failed" || state === "completed") {
      // Replies about the earlier run are stale from here on.
      if (waiter) waiter.nonce = envelope.nonce;
      await queue.remove(bullId);
      await queue.add(type, envelope, jobOptions);
    } else if (waiter) {
      waiter.nonce = existingNonce;
      if (state === "active") waiter.state = "active";
    }
  };

  /** Adds the job of `run` (registering first for the reply of a job joined by id); failures settle the waiter. */
  const submit = (
    waiter: Waiter,
    definition: JobDefinition<unknown, unknown>,
    envelope: JobEnvelope,
    priority: number,
    reuse: boolean,
  ): void => {
    const { type, bullId } = waiter;
    void (async () => {
      // Registered before the add, so a job already in flight under this id replies here too.
      if (reuse) await registerJoiner(redis, prefix, type, bullId, processId);
      if (waiter.settled) return;
      await add(type, definition, envelope, bullId, priority, reuse);
      waiter.added = true;
      waiter.checkedAt = Date.now();
      // Cancelled or closed while the job was being added: take it back out. A job that started
      // meanwhile is aborted only when cancelled: on close it runs on, for a submitter that restarts.
      if (waiter.settled) await withdraw(type, bullId, !closed);
    })().catch((error: unknown) =>
      settle(waiter, {
        error: new LitinkError(
          "queue.unavailable",
          `could not submit a ${type} job to Redis: ${String(error)}`,
          {
            cause: error,
            retryable: true,
          },
        ),
      }),
    );
  };

  const startTimers = (): void => {
    if (agingTimer) return;
    agingTimer = setInterval(() => {
      void (async () => {
        // One process per interval re-ranks the waiting jobs.
        const lock = await redis.set(`${prefix}:litink:aging-lock`, "1", "PX", aging.intervalMs, "NX");
        if (lock === "OK") await agePass();
      })().catch((error: unknown) => logger.warn({ err: error }, "aging pass failed"));
    }, aging.intervalMs);
    agingTimer.unref();
    flushTimer = setInterval(() => {
      durations.flush().catch((error: unknown) => logger.warn({ err: error }, "could not record durations"));
    }, 1000);
    flushTimer.unref();
  };

  const agePass = async (): Promise<number> => {
    let promoted = 0;
    for (const [type, lane] of lanes) {
      promoted += await ageWaitingJobs({ redis, queue: lane.queue, prefix, type, policy: aging, now: now() });
    }
    return promoted;
  };

  const subscribe = (): void => {
    if (subscriber) return;
    subscriber = new Redis(options.connection, { maxRetriesPerRequest: null });
    subscriber.on("error", (error) => logger.warn({ err: error }, "redis subscriber error"));
    void subscriber.subscribe(`${prefix}:${CANCEL_CHANNEL}`);
    subscriber.on("message", (_channel, message: string) => {
      try {
        const { bullId } = JSON.parse(message) as { bullId: string };
        running.get(bullId)?.abort(cancelled("the job was cancelled"));
      } catch (error) {
        logger.warn({ err: error }, "malformed cancel message");
      }
    });
  };

  const shutdown = async (graceMs: number): Promise<void> => {
    if (closed) return;
    closed = true;
    clearInterval(agingTimer);
    clearInterval(flushTimer);
    clearInterval(checkTimer);
    const own = [...waiters.values()];
    for (const waiter of own)
      settle(waiter, { error: new LitinkError("queue.closed", "the job queue closed") });
    // Nobody awaits the jobs this process submitted any more: withdraw those that have not started.
    await bounded(
      Promise.allSettled(
        own.filter((w) => w.state === "waiting").map((w) => withdraw(w.type, w.bullId, false)),
      ),
      SHUTDOWN_REDIS_WAIT_MS,
    );
    const ownIds = new Set(own.map((w) => w.bullId));
    const workers = [...lanes.values()].flatMap((lane) => (lane.worker ? [lane.worker] : []));
    const stopping = Promise.allSettled(workers.map((worker) => worker.close()));
    if (graceMs > 0) await Promise.race([stopping, new Promise((r) => setTimeout(r, graceMs).unref())]);
    for (const [bullId, job] of running) {
      job.abort(
        ownIds.has(bullId)
          ? new LitinkError("queue.closed", "the job queue closed")
          : new LitinkError(HANDED_BACK, "the worker is shutting down; the job goes back to the queue"),
      );
    }
    await stopping;
    await bounded(
      durations.flush().catch(() => undefined),
      SHUTDOWN_REDIS_WAIT_MS,
    );
    await Promise.allSettled([...lanes.values()].map((lane) => lane.queue.close()));
    channel?.close();
    subscriber?.disconnect();
    await redis.quit().catch(() => redis.disconnect());
  };

  return {
    kind: "bullmq",

    register<P, R>(definition: JobDefinition<P, R>, handler: JobHandler<P, R>): void {
      if (handlers.has(definition.type)) {
        throw new LitinkError(
          "queue.duplicate_handler",
          `a handler for ${definition.type} is already registered`,
        );
      }
      if (closed) throw new LitinkError("queue.closed", "the job queue is closed");
      handlers.set(definition.type, handler as JobHandler<unknown, unknown>);
      if (options.queues && !options.queues.includes(definition.type)) return;
      const lane = laneFor(definition.type);
      const processor = createJobProcessor({
        definition: definition as JobDefinition<unknown, unknown>,
        handler: handler as JobHandler<unknown, unknown>,
        running,
        limiter,
        retryDelayMs: options.limits?.retryDelayMs ?? 250,
        metrics: options.metrics,
        recordDuration: (type, ms) => durations.record(type, ms),
        reply: (envelope, bullId, outcome) => reply(definition.type, envelope, bullId, outcome),
        notifyStarted: (envelope, bullId) => notifyStarted(definition.type, envelope, bullId),
        now,
      });
      const worker = new Worker(definition.type, processor, {
        connection,
        prefix,
        concurrency,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        lockDuration: options.lockDurationMs ?? 30_000,
        maxStalledCount: 2,
      });
      worker.on("error", (error) => logger.warn({ err: error, type: definition.type }, "worker error"));
      lane.worker = worker;
      subscribe();
      startTimers();
    },

    run<P, R>(definition: JobDefinition<P, R>, payload: P, enqueueOptions: EnqueueOptions = {}): Promise<R> {
      if (closed) return Promise.reject(new LitinkError("queue.closed", "the job queue is closed"));
      const parsed = definition.payload.safeParse(payload);
      if (!parsed.success) {
        return Promise.reject(
          new LitinkError(
            "queue.invalid_payload",
            `invalid ${definition.type} payload: ${parsed.error.message}`,
          ),
        );
      }
      const type = definition.type;
      const jobId = enqueueOptions.jobId ?? randomUUID();
      const bullId = toBullmqJobId(jobId);
      const key = waiterKey(type, bullId);
      // The same id while it is in flight: join it.
      const existing = waiters.get(key);
      if (existing) return existing.promise as Promise<R>;
      const signal = enqueueOptions.signal;
      const priority = tierPriority(enqueueOptions.priority);
      const reuse = enqueueOptions.jobId !== undefined;
      const envelope: JobEnvelope = {
        id: jobId,
        payload: parsed.data,
        tier: priority,
        // A random id is already this submission's own.
        nonce: reuse ? randomUUID() : jobId,
        replyTo: processId,
      };
      if (reuse) envelope.joinable = true;
      if (enqueueOptions.userId !== undefined) envelope.userId = enqueueOptions.userId;
      let waiter!: Waiter;
      const result = new Promise<unknown>((resolve, reject) => {
        waiter = {
          type,
          bullId,
          state: "waiting",
          settled: false,
          // A caller's id may name a job someone else added: its run is known once the job is looked at.
          nonce: reuse ? undefined : envelope.nonce,
          added: false,
          checkedAt: 0,
          missing: 0,
          resolve,
          reject,
          cleanup: undefined,
          promise: undefined,
        };
      });
      if (signal) {
        const onAbort = (): void => {
          settle(waiter, { error: cancelled("the job was cancelled") });
          withdraw(type, bullId).catch((error: unknown) =>
            logger.warn({ err: error }, "could not cancel a job"),
          );
        };
        if (signal.aborted) {
          onAbort();
          return result as Promise<R>;
        }
        signal.addEventListener("abort", onAbort, { once: true });
        waiter.cleanup = () => signal.removeEventListener("abort", onAbort);
      }
      waiter.promise = result;
      waiters.set(key, waiter);
      openChannel();
      submit(waiter, definition as JobDefinition<unknown, unknown>, envelope, priority, reuse);
      return result as Promise<R>;
    },

    async submit<P, R>(
      definition: JobDefinition<P, R>,
      payload: P,
      submitOptions: Omit<EnqueueOptions, "signal"> & { readonly jobId: string },
    ): Promise<void> {
      if (closed) throw new LitinkError("queue.closed", "the job queue is closed");
      const parsed = definition.payload.safeParse(payload);
      if (!parsed.success) {
        throw new LitinkError(
          "queue.invalid_payload",
          `invalid ${definition.type} payload: ${parsed.error.message}`,
        );
      }
      const priority = tierPriority(submitOptions.priority);
      // No replyTo: nobody awaits the outcome on a reply list; followers read the job's own progress.
      const envelope: JobEnvelope = {
        id: submitOptions.jobId,
        payload: parsed.data,
        tier: priority,
        nonce: randomUUID(),
        joinable: true,
      };
      if (submitOptions.userId !== undefined) envelope.userId = submitOptions.userId;
      const bullId = toBullmqJobId(submitOptions.jobId);
      await add(
        definition.type,
        definition as JobDefinition<unknown, unknown>,
        envelope,
        bullId,
        priority,
        false,
      );
    },

    stats(): QueueStats {
      let waiting = 0;
      let active = 0;
      for (const waiter of waiters.values()) {
        if (waiter.state === "active") active += 1;
        else waiting += 1;
      }
      return { waiting, active, completed, failed };
    },

    async position(definition, jobId): Promise<QueuePosition> {
      return readJobPosition({
        redis,
        queue: laneFor(definition.type).queue,
        prefix,
        type: definition.type,
        bullId: toBullmqJobId(jobId),
        recentDurationsMs: await durations.read(definition.type),
        now: now(),
      });
    },

    ageWaitingJobs: () => agePass(),

    async ready(): Promise<void> {
      await redis.ping();
      await Promise.all([...lanes.values()].map((lane) => lane.worker?.waitUntilReady()));
      await channel?.ready();
    },

    shutdown: ({ graceMs }) => shutdown(graceMs),

    close: () => shutdown(0),
  };
}

/** Waits for `promise`, at most `ms`. */
async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function cancelled(message: string): LitinkError {
  return new LitinkError("queue.cancelled", message);
}
