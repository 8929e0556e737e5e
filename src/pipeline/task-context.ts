import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { CAPABILITIES, TIER_NAMES } from "../config/index.ts";
import type { JobContext } from "../queue/index.ts";
import { AssetCache, type CachedAsset, type ProducedAsset } from "./asset-cache.ts";
import type { CostLine, PipelineResources, RunContext } from "./pipeline-types.ts";

/**
 * What every scene job carries about its video: enough to route, price and record its calls in the
 * ledger on any machine. The video's files (source, output folder) stay with the orchestrator.
 */
export const videoRefSchema = z.object({
  videoId: z.string().min(1),
  userId: z.string().optional(),
  tier: z.enum(TIER_NAMES),
  modelOverrides: z.partialRecord(z.enum(CAPABILITIES), z.string()).optional(),
});

/** The parsed {@link videoRefSchema}. */
export type VideoRef = z.infer<typeof videoRefSchema>;

/** A stored asset as a job payload or result carries it (the row of `assets`, as JSON). */
export const cachedAssetSchema: z.ZodType<CachedAsset> = z.object({
  id: z.string(),
  inputKey: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  kind: z.string(),
  storageKey: z.string().min(1),
  bytes: z.number().int().min(0),
  contentType: z.string(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  costMicros: z.number().int(),
  metadata: z.record(z.string(), z.unknown()),
});

/** One cost line a job produced, with the asset key it was for (the ledger's idempotency key is `${videoId}:${inputKey}`). */
export interface TaskCost {
  readonly line: CostLine;
  readonly inputKey: string | undefined;
}

/** What every scene job returns besides its asset: the cost lines for the orchestrator's receipt. */
export interface TaskCosts {
  readonly costs: readonly TaskCost[];
}

/** The reference to the video a running job works for. */
export function videoRef(context: RunContext): VideoRef {
  return {
    videoId: context.videoId,
    tier: context.tierName,
    ...(context.userId === undefined ? {} : { userId: context.userId }),
    ...(context.request.modelOverrides === undefined
      ? {}
      : { modelOverrides: context.request.modelOverrides }),
  };
}

/**
 * One task's view of the process's shared asset cache (which makes concurrent equal work in this
 * process happen once). It remembers the key of the latest lookup, so each cost line `routedAsset` adds
 * right after its lookup is tied to its asset key; scene tasks make their routed calls one at a time.
 */
class KeyedAssetCache extends AssetCache {
  readonly #shared: AssetCache;
  lastKey: string | undefined;

  constructor(resources: PipelineResources, shared: AssetCache) {
    super(resources);
    this.#shared = shared;
  }

  override getOrCreate(
    inputKey: string,
    kind: string,
    produce: () => Promise<ProducedAsset>,
  ): Promise<{ asset: CachedAsset; cached: boolean }> {
    this.lastKey = inputKey;
    return this.#shared.getOrCreate(inputKey, kind, produce);
  }
}

/**
 * Runs one scene task in this process, from its payload and this process's resources only: builds the
 * job's context (tier from this process's configuration, the process's `shared` asset cache, the job's
 * abort signal, a scratch folder removed afterwards) and collects the cost lines it produced.
 */
export async function runSceneTask<T>(
  resources: PipelineResources,
  shared: AssetCache,
  video: VideoRef,
  job: JobContext,
  work: (context: RunContext) => Promise<T>,
): Promise<{ value: T; costs: TaskCost[] }> {
  const cache = new KeyedAssetCache(resources, shared);
  const costs: TaskCost[] = [];
  const workDir = path.join(resources.workDir, video.videoId, "tasks", randomUUID());
  const context: RunContext = {
    resources,
    // Scene tasks read only the tier, user and model choices of the request.
    request: {
      sourcePath: "",
      outDir: "",
      tier: video.tier,
      userId: video.userId,
      modelOverrides: video.modelOverrides,
    },
    videoId: video.videoId,
    userId: video.userId,
    tierName: video.tier,
    tier: resources.config.tiers[video.tier],
    cache,
    signal: job.signal,
    workDir,
    // Progress is the orchestrator's: it reports scenes as their jobs finish.
    emit: () => undefined,
    addCost: (line) => costs.push({ line, inputKey: cache.lastKey }),
  };
  try {
    return { value: await work(context), costs };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
