import { Job, type Queue } from "bullmq";
import type { Redis } from "ioredis";
import { jobEnvelopeSchema } from "./job-envelope.ts";
import { type AgingPolicy, agedPriority, LOWEST_PRIORITY } from "./tier-policy.ts";

/** BullMQ scores a prioritized job `priority * 2^32 + arrival counter`: one band per priority. */
const BAND = 0x100000000;
/** Jobs examined per priority band and pass: the band's oldest, which age first. */
const BATCH = 200;

/** Inputs of {@link ageWaitingJobs}. */
export interface AgingPass {
  readonly redis: Redis;
  readonly queue: Queue;
  readonly prefix: string;
  readonly type: string;
  readonly policy: AgingPolicy;
  readonly now: number;
}

/**
 * One aging pass over a queue's waiting jobs: each job whose wait earned it a better priority (see
 * {@link agedPriority}) moves to that priority's band, behind the jobs already there and ahead of every
 * job added later. Returns how many jobs moved.
 */
export async function ageWaitingJobs(pass: AgingPass): Promise<number> {
  const key = `${pass.prefix}:${pass.type}:prioritized`;
  let promoted = 0;
  for (let band = 2; band <= LOWEST_PRIORITY; band++) {
    const ids = await pass.redis.zrangebyscore(key, band * BAND, (band + 1) * BAND - 1, "LIMIT", 0, BATCH);
    if (ids.length === 0) continue;
    const pipeline = pass.redis.pipeline();
    for (const id of ids) pipeline.hmget(`${pass.prefix}:${pass.type}:${id}`, "timestamp", "data");
    const rows = (await pipeline.exec()) ?? [];
    for (const [index, id] of ids.entries()) {
      const [error, row] = rows[index] ?? [];
      if (error || !Array.isArray(row)) continue;
      const [timestamp, data] = row as (string | null)[];
      if (timestamp == null || data == null) continue;
      const envelope = jobEnvelopeSchema.safeParse(JSON.parse(data));
      if (!envelope.success) continue;
      const target = agedPriority(envelope.data.tier, pass.now - Number(timestamp), pass.policy);
      if (target >= band) continue;
      const job = await Job.fromId(pass.queue, id);
      if (!job) continue;
      await job.changePriority({ priority: target });
      promoted += 1;
    }
  }
  return promoted;
}
