import type { Redis } from "ioredis";
import { decodeReply, type JobReply, replyKeys } from "./bullmq-reply-channel.ts";

/** One job a submitter still awaits; `nonce` undefined accepts any run under the id. */
export interface AwaitedJob {
  readonly type: string;
  readonly bullId: string;
  readonly nonce: string | undefined;
}

/** What Redis still knows of an awaited job. */
export type StoredOutcome =
  | { readonly state: "pending" }
  /** Neither the job nor its outcome is there: removed, or finished so long ago its outcome expired. */
  | { readonly state: "missing" }
  | { readonly state: "finished"; readonly reply: JobReply };

/**
 * Reads the outcome of each job from Redis, for a submitter whose reply may have been lost (a dropped
 * connection, a worker of an older version): the outcome the worker kept beside its reply, else
 * BullMQ's own record of a finished job (e.g. failed by the stalled-job check, which sends no reply).
 */
export async function readJobOutcomes(
  redis: Redis,
  prefix: string,
  jobs: readonly AwaitedJob[],
): Promise<StoredOutcome[]> {
  if (jobs.length === 0) return [];
  const keys = replyKeys(prefix);
  const pipeline = redis.pipeline();
  for (const job of jobs) {
    pipeline.get(keys.outcome(job.type, job.bullId));
    pipeline.hmget(
      `${prefix}:${job.type}:${job.bullId}`,
      "data",
      "finishedOn",
      "returnvalue",
      "failedReason",
    );
  }
  const results = (await pipeline.exec()) ?? [];
  return jobs.map((job, index) => {
    const [outcomeError, outcome] = results[index * 2] ?? [];
    const [hashError, hash] = results[index * 2 + 1] ?? [];
    if (outcomeError) throw outcomeError;
    if (hashError) throw hashError;
    const stored = typeof outcome === "string" ? decodeReply(outcome) : undefined;
    if (stored && (job.nonce === undefined || stored.nonce === job.nonce)) {
      return { state: "finished", reply: stored };
    }
    const [data, finishedOn, returnvalue, failedReason] = (hash ?? []) as (string | null)[];
    if (!data) return { state: "missing" };
    const nonce = readNonce(data);
    if (job.nonce !== undefined && nonce !== job.nonce) return { state: "missing" };
    if (!finishedOn) return { state: "pending" };
    const reply = { type: job.type, bullId: job.bullId, nonce: nonce ?? "" };
    return {
      state: "finished",
      reply:
        returnvalue === null || returnvalue === undefined
          ? { ...reply, failure: failedReason ?? "" }
          : { ...reply, value: returnvalue },
    };
  });
}

function readNonce(data: string): string | undefined {
  try {
    const nonce = (JSON.parse(data) as { nonce?: unknown }).nonce;
    return typeof nonce === "string" ? nonce : undefined;
  } catch {
    return undefined;
  }
}
