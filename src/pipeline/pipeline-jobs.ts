import { type WorkerJob, workerJob } from "../queue/index.ts";
import { AssetCache } from "./asset-cache.ts";
import type { PipelineResources } from "./pipeline-types.ts";
import { renderStoredSegment, segmentJob } from "./segment-jobs.ts";
import { speakScene, speechJob } from "./stages/audio-generation.ts";
import { generateImage, imageJob } from "./stages/image-generation.ts";
import { lipSyncJob, syncLips } from "./stages/lip-sync.ts";
import { animateStill, motionJob } from "./stages/video-generation.ts";
import { runSceneTask } from "./task-context.ts";
import { runVideoJob, videoJob } from "./video-job.ts";

/** The job types of {@link pipelineJobs}, for checking `litink worker --queues` before anything opens. */
export const PIPELINE_JOB_TYPES: readonly string[] = [
  imageJob,
  speechJob,
  motionJob,
  lipSyncJob,
  segmentJob,
  videoJob,
].map((definition) => definition.type);

/**
 * The pipeline's job catalog: every per-scene job `runVideo` fans out, each with the handler that runs
 * it from its payload and `resources` alone, so any process with the same database, object store and
 * queue can take it (`litink render` itself, or `litink worker` on another machine); and the whole
 * video as one job (`litink render --detach`), whose handler runs `runVideo` as the orchestrator.
 */
export function pipelineJobs(resources: PipelineResources): WorkerJob[] {
  const cache = new AssetCache(resources);
  return [
    workerJob(imageJob, async (payload, job) => {
      const { value, costs } = await runSceneTask(resources, cache, payload.video, job, (context) =>
        generateImage(context, payload),
      );
      return { asset: value, costs };
    }),
    workerJob(speechJob, async (payload, job) => {
      const { value, costs } = await runSceneTask(resources, cache, payload.video, job, (context) =>
        speakScene(context, payload),
      );
      return { audio: value, costs };
    }),
    workerJob(motionJob, async (payload, job) => {
      const { value, costs } = await runSceneTask(resources, cache, payload.video, job, (context) =>
        animateStill(context, payload),
      );
      return { asset: value, costs };
    }),
    workerJob(lipSyncJob, async (payload, job) => {
      const { value, costs } = await runSceneTask(resources, cache, payload.video, job, (context) =>
        syncLips(context, payload),
      );
      return { asset: value, costs };
    }),
    workerJob(segmentJob, (payload, job) => renderStoredSegment(resources, payload, job)),
    workerJob(videoJob, (payload, job) => runVideoJob(resources, payload, job)),
  ];
}

/** Registers the pipeline's job handlers on `resources.queue`, so this process works on pipeline jobs. */
export function registerPipelineJobs(resources: PipelineResources): void {
  for (const entry of pipelineJobs(resources)) resources.queue.register(entry.definition, entry.handler);
}
