import type { Redis } from "ioredis";

/** Run durations kept per job type: the window of the ETA's moving average. */
const WINDOW = 20;

/**
 * The recent run durations of each job type, shared through Redis (a capped list per type) so any
 * process can estimate completion times. Workers record locally and flush in batches, off the hot path.
 */
export interface RecentDurations {
  record(type: string, durationMs: number): void;
  /** Writes the recorded durations to Redis. */
  flush(): Promise<void>;
  /** The latest durations of `type`, newest first. */
  read(type: string): Promise<number[]>;
}

/** Creates the {@link RecentDurations} kept under `keyPrefix`. */
export function createRecentDurations(redis: Redis, keyPrefix: string): RecentDurations {
  const pending = new Map<string, number[]>();
  const key = (type: string) => `${keyPrefix}:durations:${type}`;
  return {
    record(type, durationMs) {
      let values = pending.get(type);
      if (!values) {
        values = [];
        pending.set(type, values);
      }
      values.push(durationMs);
      // Only the newest WINDOW survive the flush's trim: a burst of short jobs sends no more than that.
      if (values.length > WINDOW) values.shift();
    },
    async flush() {
      if (pending.size === 0) return;
      const pipeline = redis.pipeline();
      for (const [type, values] of pending) {
        pipeline.lpush(key(type), ...values.map(String)).ltrim(key(type), 0, WINDOW - 1);
      }
      pending.clear();
      await pipeline.exec();
    },
    async read(type) {
      return (await redis.lrange(key(type), 0, WINDOW - 1)).map(Number);
    },
  };
}
