import os from "node:os";
import { parseUsd } from "../money/index.ts";
import type { EnqueueOptions } from "../queue/index.ts";
import type { RunContext, StageName } from "./pipeline-types.ts";
import type { TaskCost, TaskCosts } from "./task-context.ts";

/** How long jobs may wait with none running before the orchestrator says it waits for a worker. */
const WAITING_NOTICE_MS = 5000;
/** How often it says so again while nothing runs. */
const WAITING_REPEAT_MS = 60_000;

/** Options of {@link fanOut}: the id, tier priority, user and abort signal of one scene's job. */
export type SceneJobOptions = EnqueueOptions & { readonly jobId: string };

/**
 * Runs one job per scene (0..count-1) through the queue, at most the tier's scene parallelism at once,
 * reporting progress as jobs finish, and returns their results in scene order. The jobs are
 * self-contained (see `pipeline-jobs.ts`): any process that works on the queue may run them. The
 * first failure stops the stage.
 */
export async function fanOut<T>(
  context: RunContext,
  stage: StageName,
  count: number,
  submit: (index: number, options: SceneJobOptions) => Promise<T>,
): Promise<T[]> {
  const { queue } = context.resources;
  // The embedded queue runs jobs on this machine's cores; BullMQ workers bring their own.
  const cores = queue.kind === "embedded" ? os.availableParallelism() : Number.POSITIVE_INFINITY;
  const parallelism = Math.max(1, Math.min(context.tier.sceneParallelism, cores, count));
  const results: T[] = new Array(count);
  let next = 0;
  let done = 0;
  context.emit({ stage, status: "progress", done, total: count });
  let idleSince = Date.now();
  let wait = WAITING_NOTICE_MS;
  const watch = setInterval(() => {
    const { waiting, active } = queue.stats();
    if (active > 0 || waiting === 0) {
      idleSince = Date.now();
      wait = WAITING_NOTICE_MS;
      return;
    }
    if (Date.now() - idleSince < wait) return;
    idleSince = Date.now();
    wait = WAITING_REPEAT_MS;
    context.emit({
      stage: "job",
      status: "progress",
      message: `${stage}: ${waiting} job(s) waiting for a worker; start \`litink worker\` with the same REDIS_URL, DATABASE_URL and STORAGE_URL`,
    });
  }, 1000);
  watch.unref();
  try {
    const lanes = Array.from({ length: parallelism }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await submit(index, {
          jobId: `${context.videoId}/${stage}/${index}`,
          priority: context.tier.priority,
          userId: context.userId,
          signal: context.signal,
        });
        done += 1;
        context.emit({ stage, status: "progress", done, total: count });
      }
    });
    await Promise.all(lanes);
    return results;
  } finally {
    clearInterval(watch);
  }
}

/**
 * Adds scene jobs' cost lines to the receipt, one charge per asset key and job: the ledger records a
 * call once per `${videoId}:${inputKey}`, so two jobs that made the same call at once on different
 * workers claim it once, and a retried job that finds the asset its killed first attempt already paid
 * for (a cache hit) claims the ledger's charge instead of a saving. The receipt keeps equalling the ledger.
 */
export class SceneCosts {
  readonly #context: RunContext;
  readonly #claimed = new Set<string>();

  constructor(context: RunContext) {
    this.#context = context;
  }

  /** Adds the cost lines of finished scene jobs. */
  async add(results: readonly (TaskCosts | undefined)[]): Promise<void> {
    const costs = results.flatMap((result) => result?.costs ?? []);
    const charges = await this.#ledgerCharges(costs);
    for (const { line, inputKey } of costs) {
      if (inputKey === undefined) {
        this.#context.addCost(line);
        continue;
      }
      const charged = charges.get(inputKey) ?? 0;
      const claimed = this.#claimed.has(inputKey);
      if (!line.cached && claimed) {
        this.#context.addCost({ ...line, cached: true, costMicros: 0, savedMicros: line.costMicros });
      } else if (line.cached && !claimed && charged > 0) {
        this.#claimed.add(inputKey);
        this.#context.addCost({ ...line, cached: false, costMicros: charged, savedMicros: 0 });
      } else {
        if (!line.cached) this.#claimed.add(inputKey);
        this.#context.addCost(line);
      }
    }
  }

  /** What the ledger recorded for this job per asset key, for the keys of cache hits not yet claimed. */
  async #ledgerCharges(costs: readonly TaskCost[]): Promise<Map<string, number>> {
    const keys = costs
      .filter(({ line, inputKey }) => line.cached && inputKey !== undefined && !this.#claimed.has(inputKey))
      .map(({ inputKey }) => `${this.#context.videoId}:${inputKey}`);
    const charges = new Map<string, number>();
    if (keys.length === 0) return charges;
    const rows = await this.#context.resources.db
      .selectFrom("usage_logs")
      .select((eb) => ["idempotency_key", eb.fn.sum<string | null>("cost_usd").as("total")])
      .where("job_id", "=", this.#context.videoId)
      .where("idempotency_key", "in", [...new Set(keys)])
      .groupBy("idempotency_key")
      .execute();
    const prefix = `${this.#context.videoId}:`;
    for (const row of rows) {
      if (row.idempotency_key === null || row.total === null) continue;
      charges.set(row.idempotency_key.slice(prefix.length), parseUsd(row.total));
    }
    return charges;
  }
}
