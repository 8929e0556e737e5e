import type { Redis } from "ioredis";
import type { InFlightLimits } from "./tier-policy.ts";

// Each running job holds a lease (a member of a sorted set scored by its expiry) in its tier's set and
// its user's set. Leases expire, so a worker killed mid-job frees its slot by itself; a job picked up
// again after a crash reuses its member, so it is never counted twice.
const ACQUIRE = `
local now = tonumber(ARGV[1])
local member = ARGV[3]
local tierLimit = tonumber(ARGV[4])
local userLimit = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if tierLimit >= 0 and not redis.call('ZSCORE', KEYS[1], member) and redis.call('ZCARD', KEYS[1]) >= tierLimit then
  return 0
end
if ARGV[6] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if userLimit >= 0 and not redis.call('ZSCORE', KEYS[2], member) and redis.call('ZCARD', KEYS[2]) >= userLimit then
    return 0
  end
  redis.call('ZADD', KEYS[2], ARGV[2], member)
end
redis.call('ZADD', KEYS[1], ARGV[2], member)
return 1
`;

/** Counts jobs in flight per tier and per user across every worker sharing one Redis. */
export interface InFlightLimiter {
  /** Takes a slot for `member` unless its tier or user is at its limit; false means "not now". */
  acquire(member: string, tier: number, userId: string | undefined, leaseMs: number): Promise<boolean>;
  /** Gives the slot back. */
  release(member: string, tier: number, userId: string | undefined): Promise<void>;
}

/** Creates the {@link InFlightLimiter} of `limits`, keeping its leases under `keyPrefix`. */
export function createInFlightLimiter(
  redis: Redis,
  keyPrefix: string,
  limits: InFlightLimits,
  now: () => number,
): InFlightLimiter {
  const tierKey = (tier: number) => `${keyPrefix}:inflight:tier:${tier}`;
  const userKey = (userId: string | undefined) => `${keyPrefix}:inflight:user:${userId ?? ""}`;
  return {
    async acquire(member, tier, userId, leaseMs) {
      const time = now();
      const tierLimit = limits.perTier?.[tier] ?? -1;
      const userLimit = userId === undefined ? -1 : (limits.perUser ?? -1);
      const granted = await redis.eval(
        ACQUIRE,
        2,
        tierKey(tier),
        userKey(userId),
        time,
        time + leaseMs,
        member,
        tierLimit,
        userLimit,
        userId === undefined ? "0" : "1",
      );
      return granted === 1;
    },
    async release(member, tier, userId) {
      const pipeline = redis.pipeline().zrem(tierKey(tier), member);
      if (userId !== undefined) pipeline.zrem(userKey(userId), member);
      await pipeline.exec();
    },
  };
}
