import type { AppConfig, Capability, Resolution, Tier, TierName } from "../config/index.ts";
import type { DatabaseHandle } from "../db/index.ts";
import type { Logger } from "../logging/index.ts";
import type { Micros } from "../money/index.ts";
import type { JobEventBus, JobQueue } from "../queue/index.ts";
import type { Renderer } from "../render/index.ts";
import type { ModelRouter } from "../router/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import type { AssetCache } from "./asset-cache.ts";

/** The stages of a video job, in the product plan's order. */
export const STAGES = [
  "script_generation",
  "scene_breakdown",
  "image_generation",
  "audio_generation",
  "video_generation",
  "lip_sync",
  "post_processing",
  "quality_check",
] as const;

/** The job type of a whole video run by a worker (`litink render --detach`; see `videoJob`). */
export const VIDEO_JOB_TYPE = "pipeline.video";

/** One stage of a video job. */
export type StageName = (typeof STAGES)[number];

/** Output aspects, as users write them. */
export const ASPECTS = ["16:9", "9:16", "1:1", "4:5"] as const;
/** One of {@link ASPECTS}. */
export type Aspect = (typeof ASPECTS)[number];

/** A chapter range, 1-based over the book's body chapters, inclusive. */
export interface ChapterRange {
  readonly from: number;
  readonly to: number;
}

/** A voice to clone from recordings, and who speaks with it (`--clone-voice [SPEAKER=]FILE`). */
export interface VoiceCloneSpec {
  /** A character of the story (bible name or alias); undefined for the narrator. */
  readonly speaker?: string | undefined;
  /** Recordings of that one speaker, sent together. */
  readonly samplePaths: readonly string[];
}

/** What the user asks for. */
export interface VideoRequest {
  /** The book or screenplay file. */
  readonly sourcePath: string;
  readonly chapters?: ChapterRange | undefined;
  readonly tier: TierName;
  /** A `users.id`; the CLI uses a local default user. */
  readonly userId?: string | undefined;
  /** @defaultValue "16:9" */
  readonly aspect?: Aspect | undefined;
  /** An illustration style, e.g. "watercolor", "cinematic", "storybook". */
  readonly style?: string | undefined;
  /** The narrator's voice (a logical voice such as "narrator", or a provider voice id). */
  readonly voice?: string | undefined;
  /** Background music file, ducked under the narration. */
  readonly musicPath?: string | undefined;
  /** Where the MP4, captions, script.json, receipt.json and qc.json go. */
  readonly outDir: string;
  /** Cut the video at the tier's maximum length instead of refusing. */
  readonly trim?: boolean | undefined;
  /** Finish (exit 0) even when the quality check fails. */
  readonly allowQcFailures?: boolean | undefined;
  /** A resolution to ask for; capped to the tier's maximum. */
  readonly resolution?: Resolution | undefined;
  /** User-chosen models per capability (Standard and above). */
  readonly modelOverrides?: Partial<Record<Capability, string>> | undefined;
  /** Voices to clone and use instead of the cast ones (Standard and above). */
  readonly voiceClones?: readonly VoiceCloneSpec[] | undefined;
}

/** What the pipeline needs, passed in (no module state). */
export interface PipelineResources {
  readonly config: AppConfig;
  readonly db: DatabaseHandle["db"];
  readonly storage: ObjectStore;
  readonly router: ModelRouter;
  readonly renderer: Renderer;
  readonly queue: JobQueue;
  /** Where live progress goes for watchers on other processes or machines. @defaultValue none */
  readonly events?: JobEventBus | undefined;
  readonly logger: Logger;
  /** Scratch space for files FFmpeg reads and writes. */
  readonly workDir: string;
}

/** A progress event of a running job. */
export interface PipelineEvent {
  readonly stage: StageName | "ingest" | "job";
  readonly status: "started" | "progress" | "succeeded" | "skipped" | "failed";
  /** Scenes (or passages) done, and how many there are. */
  readonly done?: number | undefined;
  readonly total?: number | undefined;
  readonly message?: string | undefined;
  /** Milliseconds since the job started. */
  readonly elapsedMs: number;
}

/** One priced unit of work in the receipt. */
export interface CostLine {
  readonly stage: StageName;
  readonly capability: Capability;
  readonly provider: string;
  readonly model: string;
  /** Billable quantity: tokens (input + output), images, characters or seconds. */
  readonly units: number;
  readonly unit: "tokens" | "images" | "characters" | "seconds" | "requests";
  /** What this job paid (0 on a cache hit). */
  readonly costMicros: Micros;
  /** True when the result came from the content-addressed cache. */
  readonly cached: boolean;
  /** On a cache hit: what producing it cost the first time. */
  readonly savedMicros: Micros;
}

/** The state one job's stages share. */
export interface RunContext {
  readonly resources: PipelineResources;
  readonly request: VideoRequest;
  readonly videoId: string;
  readonly userId: string | undefined;
  readonly tierName: TierName;
  readonly tier: Tier;
  readonly cache: AssetCache;
  readonly signal: AbortSignal | undefined;
  /** Folder for this job's scratch files. */
  readonly workDir: string;
  emit(event: Omit<PipelineEvent, "elapsedMs">): void;
  /**
   * Adds a line to the receipt; `inputKey` names the asset of the routed call it is for (the ledger's
   * idempotency key is `${videoId}:${inputKey}`), so a cache hit can claim what this video already paid.
   */
  addCost(line: CostLine, inputKey?: string): void;
}
