import { Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { estimateCompletion, movingAverage, type QueuePosition } from "./queue-estimate.ts";

/** Inputs of {@link readJobPosition}. */
export interface PositionQuery {
  readonly redis: Redis;
  readonly queue: Queue;
  readonly prefix: string;
  readonly type: string;
  readonly bullId: string;
  readonly recentDurationsMs: readonly number[];
  readonly now: number;
}

/**
 * Where one BullMQ job stands: the jobs ahead of it (the plain wait list, which BullMQ serves first,
 * then its rank among prioritized jobs) and an ETA from the moving average of recent durations, with
 * the running jobs as the capacity.
 */
export async function readJobPosition(query: PositionQuery): Promise<QueuePosition> {
  const { redis, queue, prefix, type, bullId, recentDurationsMs, now } = query;
  const [state, activeCount] = await Promise.all([queue.getJobState(bullId), queue.getActiveCount()]);
  if (state === "completed" || state === "failed" || state === "unknown") {
    return { position: 0, state, estimatedCompletion: undefined };
  }
  if (state === "active") {
    const job = await Job.fromId(queue, bullId);
    const average = movingAverage(recentDurationsMs);
    const startedAt = job?.processedOn ?? now;
    return {
      position: 0,
      state,
      estimatedCompletion: average === undefined ? undefined : new Date(Math.max(now, startedAt + average)),
    };
  }
  const [rank, plain, prioritized] = await Promise.all([
    redis.zrank(`${prefix}:${type}:prioritized`, bullId),
    redis.llen(`${prefix}:${type}:wait`),
    redis.zcard(`${prefix}:${type}:prioritized`),
  ]);
  // A delayed job (retrying, or held back by a limit) waits behind everything queued now.
  const ahead = plain + (rank ?? prioritized);
  return {
    position: ahead,
    state: "waiting",
    estimatedCompletion: estimateCompletion({ ahead, capacity: activeCount, recentDurationsMs, now }),
  };
}
