/** Where a waiting job stands (product plan §6.2: `queue_position`, `estimated_completion`). */
export interface QueuePosition {
  /** Jobs that run before this one; 0 means it is next (or running). */
  readonly position: number;
  /** The job's state: waiting (including held back or retrying), active, or finished. */
  readonly state: "waiting" | "active" | "completed" | "failed" | "unknown";
  /** When the job should finish, or undefined while no duration has been observed yet. */
  readonly estimatedCompletion: Date | undefined;
}

/** Inputs of {@link estimateCompletion}. */
export interface EstimateInput {
  /** Jobs ahead of this one. */
  readonly ahead: number;
  /** Jobs that run at once (the running jobs while there is a backlog); at least 1 is assumed. */
  readonly capacity: number;
  /** Recent run durations of this job type, newest first. */
  readonly recentDurationsMs: readonly number[];
  /** Now, in epoch ms. */
  readonly now: number;
}

/** The mean of the recent durations, or undefined when there are none. */
export function movingAverage(durationsMs: readonly number[]): number | undefined {
  const valid = durationsMs.filter((d) => Number.isFinite(d) && d >= 0);
  if (valid.length === 0) return undefined;
  return valid.reduce((sum, d) => sum + d, 0) / valid.length;
}

/**
 * Estimated completion of a waiting job: the jobs ahead run in waves of `capacity`, each as long as the
 * moving average of recent durations, then the job itself runs once more that long.
 *
 * @example estimateCompletion({ ahead: 3, capacity: 2, recentDurationsMs: [1000], now: 0 }) // 3000 ms
 */
export function estimateCompletion(input: EstimateInput): Date | undefined {
  const average = movingAverage(input.recentDurationsMs);
  if (average === undefined) return undefined;
  const waves = Math.ceil(Math.max(0, input.ahead) / Math.max(1, input.capacity));
  return new Date(input.now + (waves + 1) * average);
}
