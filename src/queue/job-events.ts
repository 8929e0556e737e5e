import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import { z } from "zod";
import { createSilentLogger, type Logger } from "../logging/index.ts";

/** One progress event of a video's job, as the pipeline reports it (and `litink status --follow` shows it). */
export interface JobEvent {
  readonly videoId: string;
  /** A pipeline stage (`image_generation`), or `ingest` / `job`. */
  readonly stage: string;
  /** `started`, `progress`, `succeeded`, `skipped`, `failed`, `cancelled`. */
  readonly status: string;
  /** Scenes (or passages) done, and how many there are. */
  readonly done?: number;
  readonly total?: number;
  readonly message?: string;
  /** Milliseconds since the job started. */
  readonly elapsedMs?: number;
  /** When the event happened, ISO 8601. */
  readonly at: string;
}

/**
 * Live progress events of videos, from the process running a video's job to anyone watching it, on
 * this machine (embedded) or any other (Redis). Live only: an event published while nobody listens is
 * gone; the pipeline keeps the history in `job_events`.
 *
 * @example
 * const stop = await bus.subscribe(videoId, (event) => console.log(event.stage, event.status));
 * await bus.publish({ videoId, stage: "image_generation", status: "progress", done: 1, total: 3, at: new Date().toISOString() });
 * await stop();
 */
export interface JobEventBus {
  /** Sends an event to the video's subscribers. Never rejects: an event that cannot be sent is logged and dropped. */
  publish(event: JobEvent): Promise<void>;
  /** Live events of one video until the returned function is called; resolves once subscribed, rejects if it cannot subscribe. */
  subscribe(videoId: string, listener: (event: JobEvent) => void): Promise<() => Promise<void>>;
  /** Ends every subscription and releases the bus's connections. */
  close(): Promise<void>;
}

const jobEventSchema = z.object({
  videoId: z.string(),
  stage: z.string(),
  status: z.string(),
  done: z.number().optional(),
  total: z.number().optional(),
  message: z.string().optional(),
  elapsedMs: z.number().optional(),
  at: z.string(),
});

/** How long `publish` waits for Redis before it drops the event. */
const PUBLISH_WAIT_MS = 2000;

/** Calls a listener; one that throws must not stop the others, nor the publisher. */
function deliver(listener: (event: JobEvent) => void, event: JobEvent, logger: Logger): void {
  try {
    listener(event);
  } catch (error) {
    logger.warn({ err: error, videoId: event.videoId }, "a job event listener failed");
  }
}

/** Options of {@link createEmbeddedEventBus}. */
export interface EmbeddedEventBusOptions {
  /** Where failing listeners are reported. */
  readonly logger?: Logger | undefined;
}

/**
 * A {@link JobEventBus} inside this process: `publish` calls the video's listeners before it resolves.
 * For `litink render` without Redis, where the job and its watchers share the process.
 */
export function createEmbeddedEventBus(options: EmbeddedEventBusOptions = {}): JobEventBus {
  const logger = options.logger ?? createSilentLogger();
  const emitter = new EventEmitter();
  // Each watcher of a video is one listener; many at once are expected.
  emitter.setMaxListeners(0);
  let closed = false;
  return {
    async publish(event) {
      if (!closed) emitter.emit(event.videoId, Object.freeze({ ...event }));
    },
    async subscribe(videoId, listener) {
      const onEvent = (event: JobEvent) => deliver(listener, event, logger);
      if (!closed) emitter.on(videoId, onEvent);
      return async () => {
        emitter.off(videoId, onEvent);
      };
    },
    async close() {
      closed = true;
      emitter.removeAllListeners();
    },
  };
}

/** Options of {@link createRedisEventBus}. */
export interface RedisEventBusOptions {
  /** The Redis URL (`REDIS_URL`). */
  readonly connection: string;
  /** Prefix of the channels, the same as the queue's. @defaultValue "litink" */
  readonly prefix?: string | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * A {@link JobEventBus} on Redis pub/sub: one channel per video, `${prefix}:events:${videoId}`, so a
 * watcher on any machine receives only its video's events. Connections open on first use (which also
 * loads ioredis): one for publishing, one (in subscriber mode) shared by every subscription of the
 * process; subscriptions are renewed after a reconnect, and events published meanwhile are missed.
 */
export function createRedisEventBus(options: RedisEventBusOptions): JobEventBus {
  const prefix = options.prefix ?? "litink";
  const logger = options.logger ?? createSilentLogger();
  const channelOf = (videoId: string) => `${prefix}:events:${videoId}`;
  /** Per channel: this process's listeners, and Redis's confirmation of the subscription. */
  const subscriptions = new Map<
    string,
    { readonly listeners: Set<(event: JobEvent) => void>; readonly confirmed: Promise<unknown> }
  >();
  let publisher: Promise<Redis> | undefined;
  let subscriber: Promise<Redis> | undefined;
  let closed = false;

  const connect = async (role: string): Promise<Redis> => {
    const { Redis } = await import("ioredis");
    // A few retries only: progress events are not worth holding a job up for a Redis that is down.
    const redis = new Redis(options.connection, { maxRetriesPerRequest: 2 });
    redis.on("error", (error) => logger.warn({ err: error }, `job event ${role} connection error`));
    return redis;
  };

  const subscriberConnection = (): Promise<Redis> => {
    subscriber ??= connect("subscriber").then((redis) =>
      redis.on("message", (channel: string, text: string) => {
        const parsed = parseEvent(text);
        if (!parsed || channelOf(parsed.videoId) !== channel) {
          logger.warn({ channel }, "malformed job event");
          return;
        }
        for (const listener of subscriptions.get(channel)?.listeners ?? []) deliver(listener, parsed, logger);
      }),
    );
    return subscriber;
  };

  return {
    async publish(event) {
      if (closed) return;
      publisher ??= connect("publisher");
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          publisher.then((redis) => redis.publish(channelOf(event.videoId), JSON.stringify(event))),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`Redis did not answer in ${PUBLISH_WAIT_MS} ms`)),
              PUBLISH_WAIT_MS,
            );
          }),
        ]);
      } catch (error) {
        logger.warn({ err: error, videoId: event.videoId }, "could not publish a job event");
      } finally {
        clearTimeout(timer);
      }
    },

    async subscribe(videoId, listener) {
      // A closed bus delivers nothing and opens no connection.
      if (closed) return async () => undefined;
      const channel = channelOf(videoId);
      let subscription = subscriptions.get(channel);
      if (!subscription) {
        subscription = {
          listeners: new Set(),
          confirmed: subscriberConnection().then((redis) => redis.subscribe(channel)),
        };
        subscriptions.set(channel, subscription);
      }
      // Each subscription gets its own entry, so the same function subscribed twice is called twice.
      const entry = (event: JobEvent) => listener(event);
      subscription.listeners.add(entry);
      try {
        await subscription.confirmed;
      } catch (error) {
        // Not subscribed: the next subscriber of the channel tries again.
        subscription.listeners.delete(entry);
        if (subscriptions.get(channel) === subscription) subscriptions.delete(channel);
        throw error;
      }
      return async () => {
        const current = subscriptions.get(channel);
        if (!current?.listeners.delete(entry) || current.listeners.size > 0) return;
        subscriptions.delete(channel);
        if (!closed) await (await subscriber)?.unsubscribe(channel);
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      subscriptions.clear();
      await Promise.allSettled(
        [publisher, subscriber].map(async (connection) => {
          const redis = await connection;
          await redis?.quit().catch(() => redis.disconnect());
        }),
      );
    },
  };
}

function parseEvent(text: string): JobEvent | undefined {
  try {
    const parsed = jobEventSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as JobEvent) : undefined;
  } catch {
    return undefined;
  }
}
