import type { Capability } from "../config/index.ts";
import { type Chapter, countTextTokens } from "../ingest/index.ts";
import { type Micros, sumMicros } from "../money/index.ts";
import { type AnyRequest, estimateCost, type ModelRouter } from "../router/index.ts";
import { countWords, estimateSpeechSeconds } from "../script/index.ts";
import type { RunContext, StageName } from "./pipeline-types.ts";

/** Seconds of narration per scene, on average, for estimates. */
const SECONDS_PER_SCENE = 60;

/** One stage's expected spend. */
export interface StageEstimate {
  readonly stage: StageName;
  readonly capability: Capability;
  readonly provider: string;
  readonly model: string;
  readonly units: number;
  readonly unit: string;
  readonly costMicros: Micros;
}

/** What `--estimate` prints before anything is spent. */
export interface VideoEstimate {
  readonly words: number;
  readonly seconds: number;
  readonly scenes: number;
  readonly stages: readonly StageEstimate[];
  readonly totalMicros: Micros;
}

/** The estimated narrated length of some chapters, in seconds (title card included). */
export function estimateSeconds(chapters: readonly Chapter[]): number {
  return (
    3 + chapters.reduce((total, chapter) => total + estimateSpeechSeconds(chapter.paragraphs.join(" ")), 0)
  );
}

/**
 * Prices a job before it runs with the first usable model of each chain (the local provider costs 0):
 * script tokens counted with the real tokenizer, one request per cloned voice, one image per scene,
 * characters spoken, seconds of image-to-video for key scenes where the tier animates.
 */
export function estimateVideo(
  context: Pick<RunContext, "tierName" | "tier" | "request"> & { router: ModelRouter },
  chapters: readonly Chapter[],
  options: { screenplay: boolean; imageToVideo: boolean },
): VideoEstimate {
  const text = chapters.map((chapter) => chapter.paragraphs.join("\n\n")).join("\n\n");
  const words = countWords(text);
  const seconds = estimateSeconds(chapters);
  const scenes = Math.max(1, Math.round(seconds / SECONDS_PER_SCENE));
  const stages: StageEstimate[] = [];
  const add = (stage: StageName, capability: Capability, request: AnyRequest, times: number): void => {
    const chain = context.router.resolveChain(
      capability,
      context.tierName,
      context.request.modelOverrides?.[capability],
    );
    const entry = chain.usable[0];
    if (!entry) {
      stages.push({
        stage,
        capability,
        provider: "local",
        model: "local",
        units: times,
        unit: "calls",
        costMicros: 0,
      });
      return;
    }
    const cost = estimateCost(entry, request);
    stages.push({
      stage,
      capability,
      provider: entry.provider,
      model: entry.model,
      units: cost.quantity * times,
      unit: cost.unit,
      costMicros: cost.micros * times,
    });
  };
  if (!options.screenplay) {
    const tokens = countTextTokens(text);
    add(
      "script_generation",
      "script",
      { messages: [{ role: "user", content: text }], maxOutputTokens: Math.ceil(tokens * 1.3) },
      1,
    );
  }
  // Each cloned voice is one request, made once (a re-run finds it in the cache).
  const clones = context.request.voiceClones?.length ?? 0;
  if (clones > 0) add("scene_breakdown", "voice_clone", { name: "voice", samples: [] }, clones);
  add("image_generation", "image", { prompt: "scene", width: 1024, height: 576 }, scenes);
  add("audio_generation", "voice", { text, voice: "narrator" }, 1);
  if (options.imageToVideo) {
    const keyScenes = Math.ceil(scenes / 2);
    add(
      "video_generation",
      "video",
      {
        image: { data: new Uint8Array(), mediaType: "image/png" },
        durationSeconds: 10,
        width: 1024,
        height: 576,
      },
      keyScenes,
    );
  }
  return { words, seconds, scenes, stages, totalMicros: sumMicros(stages.map((stage) => stage.costMicros)) };
}
