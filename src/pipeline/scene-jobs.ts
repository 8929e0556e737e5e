import os from "node:os";
import { z } from "zod";
import { LitinkError } from "../errors/index.ts";
import { defineJob, type JobQueue } from "../queue/index.ts";
import type { RunContext, StageName } from "./pipeline-types.ts";

/**
 * One unit of per-scene work: a stage of one scene of one video. The payload names the work; the
 * handler finds the job's in-memory state by video id (the embedded queue runs in this process; the
 * BullMQ workers will rebuild that state from the database).
 */
const sceneTaskJob = defineJob<{ videoId: string; stage: string; index: number }, void>({
  type: "pipeline.scene-task",
  payload: z.object({ videoId: z.string(), stage: z.string(), index: z.number().int().min(0) }),
  timeoutMs: 30 * 60 * 1000,
  attempts: 2,
  backoffMs: 1000,
});

type SceneTask = (index: number) => Promise<void>;

/** The per-video task tables the scene-task handler dispatches into. */
export class SceneTaskRegistry {
  readonly #tasks = new Map<string, SceneTask>();

  /** Registers the scene-task handler on `queue` (once per queue). */
  attach(queue: JobQueue): void {
    queue.register(sceneTaskJob, async ({ videoId, stage, index }) => {
      const task = this.#tasks.get(`${videoId}/${stage}`);
      if (!task) {
        throw new LitinkError("pipeline.unknown_task", `no ${stage} task is running for video ${videoId}`);
      }
      await task(index);
    });
  }

  /**
   * Runs `task` for scenes 0..count-1 through the queue, at most the tier's scene parallelism at once,
   * reporting progress as scenes finish. The first failure stops the stage.
   */
  async forEachScene(context: RunContext, stage: StageName, count: number, task: SceneTask): Promise<void> {
    const id = `${context.videoId}/${stage}`;
    this.#tasks.set(id, task);
    const parallelism = Math.max(
      1,
      Math.min(context.tier.sceneParallelism, os.availableParallelism(), count),
    );
    let next = 0;
    let done = 0;
    context.emit({ stage, status: "progress", done, total: count });
    try {
      const lanes = Array.from({ length: parallelism }, async () => {
        while (next < count) {
          const index = next++;
          await context.resources.queue.run(
            sceneTaskJob,
            { videoId: context.videoId, stage, index },
            { priority: context.tier.priority, jobId: `${id}/${index}`, signal: context.signal },
          );
          done += 1;
          context.emit({ stage, status: "progress", done, total: count });
        }
      });
      await Promise.all(lanes);
    } finally {
      this.#tasks.delete(id);
    }
  }
}
