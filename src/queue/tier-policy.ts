/** Priorities run from 1 (Professional, served first) to 5 (Free). */
export const HIGHEST_PRIORITY = 1;
/** The lowest tier priority (Free). */
export const LOWEST_PRIORITY = 5;

/**
 * The anti-starvation policy of the BullMQ queue: **aging**. A waiting job starts at its tier's priority
 * and gains one level for every `stepMs` it has waited, down to priority 1. Within one priority jobs run
 * in order of arrival. So a Free job (5) competes with Professional work (1) after `4 × stepMs` of waiting
 * and then runs before every Professional job submitted later: however large the flood of higher tiers,
 * its wait is bounded by `4 × stepMs` plus the Professional backlog present at that moment.
 */
export interface AgingPolicy {
  /** Waiting time that earns one priority level. @defaultValue 60000 */
  readonly stepMs: number;
  /** How often a worker process re-ranks waiting jobs (one process per interval does it). @defaultValue 5000 */
  readonly intervalMs: number;
}

/** The default {@link AgingPolicy}: one level per minute, re-ranked every 5 s. */
export const DEFAULT_AGING: AgingPolicy = { stepMs: 60_000, intervalMs: 5_000 };

/** Clamps a requested priority to 1..5; missing means Free. */
export function tierPriority(priority: number | undefined): number {
  if (priority === undefined || !Number.isFinite(priority)) return LOWEST_PRIORITY;
  return Math.min(LOWEST_PRIORITY, Math.max(HIGHEST_PRIORITY, Math.round(priority)));
}

/**
 * The effective priority of a job of tier priority `tier` that has waited `waitedMs` under `policy`.
 *
 * @example agedPriority(5, 130_000, { stepMs: 60_000, intervalMs: 5_000 }) // 3
 */
export function agedPriority(tier: number, waitedMs: number, policy: AgingPolicy): number {
  const levels = policy.stepMs > 0 ? Math.floor(Math.max(0, waitedMs) / policy.stepMs) : 0;
  return Math.max(HIGHEST_PRIORITY, tierPriority(tier) - levels);
}

/**
 * Jobs in flight at once, per tier priority and per user, across every worker. A job over a limit is
 * handed back (delayed by `retryDelayMs`, no attempt counted) instead of running.
 */
export interface InFlightLimits {
  /** Maximum running jobs per tier priority (1..5); a missing tier is unlimited. */
  readonly perTier?: Readonly<Partial<Record<number, number>>> | undefined;
  /** Maximum running jobs of one user (jobs submitted with `userId`). */
  readonly perUser?: number | undefined;
  /** Delay before a job held back by a limit is tried again. @defaultValue 250 */
  readonly retryDelayMs?: number | undefined;
}
