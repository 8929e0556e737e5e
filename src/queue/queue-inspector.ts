import type { Redis } from "ioredis";
import { toBullmqJobId } from "./bullmq-job-id.ts";
import { jobEnvelopeSchema } from "./job-envelope.ts";
import { estimateCompletion } from "./queue-estimate.ts";
import { HIGHEST_PRIORITY, LOWEST_PRIORITY } from "./tier-policy.ts";

/** One tier's line of `litink queue`. */
export interface TierDepth {
  /** Tier priority: 1 Professional … 5 Free. */
  readonly tier: number;
  readonly waiting: number;
  readonly active: number;
  /** Longest current wait of a waiting job, in ms (0 when none waits). */
  readonly oldestWaitMs: number;
  /** Mean current wait of the waiting jobs, in ms (0 when none waits). */
  readonly meanWaitMs: number;
}

/** The state of one job type's queue. */
export interface QueueReport {
  readonly type: string;
  readonly waiting: number;
  readonly active: number;
  /** Held back by a limit or waiting for a retry. */
  readonly delayed: number;
  /** Failed jobs kept for inspection. */
  readonly failed: number;
  readonly tiers: readonly TierDepth[];
  /** Mean of the recent run durations, in ms, or undefined before any. */
  readonly recentMeanDurationMs: number | undefined;
}

/** Options of {@link inspectQueues}. */
export interface InspectOptions {
  /** The Redis URL. */
  readonly connection: string;
  /** @defaultValue "litink" */
  readonly prefix?: string | undefined;
  /** @defaultValue Date.now */
  readonly now?: (() => number) | undefined;
}

/**
 * Reads the depth and current wait times per tier of every LitinkAI BullMQ queue under `prefix`
 * (`litink queue`). It reads job data, so it costs O(jobs queued): meant for operators, not hot paths.
 */
export async function inspectQueues(options: InspectOptions): Promise<QueueReport[]> {
  const prefix = options.prefix ?? "litink";
  const now = (options.now ?? Date.now)();
  const redis = await openConnection(options.connection);
  try {
    await redis.connect();
    const types = new Set<string>();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*:meta`, "COUNT", "500");
      cursor = next;
      for (const key of keys) types.add(key.slice(prefix.length + 1, -":meta".length));
    } while (cursor !== "0");
    const reports: QueueReport[] = [];
    for (const type of [...types].sort()) reports.push(await inspectQueue(redis, prefix, type, now));
    return reports;
  } finally {
    redis.disconnect();
  }
}

async function inspectQueue(redis: Redis, prefix: string, type: string, now: number): Promise<QueueReport> {
  const key = (name: string) => `${prefix}:${type}:${name}`;
  const [prioritized, plain, active, delayed, failed, recent] = await Promise.all([
    redis.zrange(key("prioritized"), "0", "-1"),
    redis.lrange(key("wait"), 0, -1),
    redis.lrange(key("active"), 0, -1),
    redis.zcard(key("delayed")),
    redis.zcard(key("failed")),
    redis.lrange(`${prefix}:litink:durations:${type}`, 0, -1),
  ]);
  const waitingIds = [...plain, ...prioritized];
  const describe = async (ids: string[]) => {
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hmget(key(id), "data", "timestamp");
    const rows = (await pipeline.exec()) ?? [];
    return rows.flatMap(([error, row]) => {
      if (error || !Array.isArray(row) || typeof row[0] !== "string") return [];
      let data: unknown;
      try {
        data = JSON.parse(row[0]);
      } catch {
        return [];
      }
      const envelope = jobEnvelopeSchema.safeParse(data);
      return envelope.success ? [{ tier: envelope.data.tier, since: Number(row[1]) }] : [];
    });
  };
  const [waitingJobs, activeJobs] = await Promise.all([describe(waitingIds), describe(active)]);
  const tiers: TierDepth[] = [];
  for (let tier = HIGHEST_PRIORITY; tier <= LOWEST_PRIORITY; tier++) {
    const waits = waitingJobs.filter((j) => j.tier === tier).map((j) => Math.max(0, now - j.since));
    tiers.push({
      tier,
      waiting: waits.length,
      active: activeJobs.filter((j) => j.tier === tier).length,
      oldestWaitMs: waits.length === 0 ? 0 : Math.max(...waits),
      meanWaitMs: waits.length === 0 ? 0 : waits.reduce((a, b) => a + b, 0) / waits.length,
    });
  }
  const durations = recent.map(Number).filter(Number.isFinite);
  return {
    type,
    waiting: waitingIds.length,
    active: active.length,
    delayed,
    failed,
    tiers,
    recentMeanDurationMs:
      durations.length === 0 ? undefined : durations.reduce((a, b) => a + b, 0) / durations.length,
  };
}

/** Where a group of jobs stands, e.g. the scene jobs of one video (`litink status`). */
export interface JobGroupReport {
  readonly waiting: number;
  readonly active: number;
  /** Jobs ahead of the group's first waiting job, or undefined when none waits. */
  readonly position: number | undefined;
  /** When the group's last waiting job should finish, or undefined without an estimate. */
  readonly estimatedCompletion: Date | undefined;
}

/** Options of {@link inspectJobGroup}. */
export interface JobGroupOptions extends InspectOptions {
  /** The job type (queue). */
  readonly type: string;
  /** Caller job ids of the group start with this, e.g. `${videoId}/`. */
  readonly jobIdPrefix: string;
}

/** Reads the waiting and running jobs of one type whose ids start with `jobIdPrefix`, and their ETA. */
export async function inspectJobGroup(options: JobGroupOptions): Promise<JobGroupReport> {
  const prefix = options.prefix ?? "litink";
  const now = (options.now ?? Date.now)();
  const key = (name: string) => `${prefix}:${options.type}:${name}`;
  const idPrefix = toBullmqJobId(options.jobIdPrefix);
  const redis = await openConnection(options.connection);
  try {
    await redis.connect();
    const [plain, prioritized, active, recent] = await Promise.all([
      redis.lrange(key("wait"), 0, -1),
      redis.zrange(key("prioritized"), "0", "-1"),
      redis.lrange(key("active"), 0, -1),
      redis.lrange(`${prefix}:litink:durations:${options.type}`, 0, -1),
    ]);
    // BullMQ pops the plain wait list from its tail: its last entry runs first.
    const order = [...[...plain].reverse(), ...prioritized];
    const ranks = order.flatMap((id, rank) => (id.startsWith(idPrefix) ? [rank] : []));
    const first = ranks[0];
    const last = ranks.at(-1);
    return {
      waiting: ranks.length,
      active: active.filter((id) => id.startsWith(idPrefix)).length,
      position: first,
      estimatedCompletion:
        last === undefined
          ? undefined
          : estimateCompletion({
              ahead: last,
              capacity: active.length,
              recentDurationsMs: recent.map(Number),
              now,
            }),
    };
  } finally {
    redis.disconnect();
  }
}

/** An unconnected Redis client for one inspection; ioredis is loaded by the first one. */
async function openConnection(url: string): Promise<Redis> {
  const { Redis } = await import("ioredis");
  return new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
}
