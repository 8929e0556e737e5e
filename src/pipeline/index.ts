export { AssetCache, type CachedAsset } from "./asset-cache.ts";
export type { StageEstimate, VideoEstimate } from "./estimate.ts";
export { PIPELINE_JOB_TYPES, pipelineJobs, registerPipelineJobs } from "./pipeline-jobs.ts";
export {
  ASPECTS,
  type Aspect,
  type ChapterRange,
  type CostLine,
  type PipelineEvent,
  type PipelineResources,
  STAGES,
  type StageName,
  type VideoRequest,
  type VoiceCloneSpec,
} from "./pipeline-types.ts";
export type { Receipt, ReceiptLine } from "./receipt.ts";
export {
  type EstimateResult,
  estimateRequest,
  type RunVideoOptions,
  runVideo,
  type VideoResult,
} from "./run-video.ts";
export { parseChapterRange } from "./select-chapters.ts";
export { formatDuration } from "./tier-rules.ts";
export { runVideoJob, submitVideo, videoJob } from "./video-job.ts";
