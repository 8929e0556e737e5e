import type { Capability } from "../config/index.ts";
import type { RequestByCapability, ResultByCapability } from "../providers/index.ts";
import type { RouteResult } from "../router/index.ts";
import type { CachedAsset, ProducedAsset } from "./asset-cache.ts";
import { inputKey } from "./input-key.ts";
import type { CostLine, RunContext, StageName } from "./pipeline-types.ts";

/** One AI call whose result is a cached asset. */
export interface RoutedAssetSpec<C extends Capability> {
  readonly stage: StageName;
  readonly capability: C;
  /** The asset kind, e.g. "image", "speech", "script". */
  readonly kind: string;
  /** Everything that decides the output (the serving chain is added automatically). */
  readonly inputs: unknown;
  /** Only this provider may serve the call (its request names something made there, e.g. a cloned voice). */
  readonly provider?: string | undefined;
  readonly request: RequestByCapability[C];
  /** Turns the provider's result into the bytes to store. */
  toAsset(result: ResultByCapability[C]): Omit<ProducedAsset, "provider" | "model" | "costMicros">;
}

/**
 * The models that may serve `capability` for this job, as `provider:model`; `local` when offline. With
 * `provider`, only that provider's.
 */
export function servingChain(context: RunContext, capability: Capability, provider?: string): string[] {
  const override = context.request.modelOverrides?.[capability];
  const chain = context.resources.router.resolveChain(capability, context.tierName, override, provider);
  const usable = chain.usable.map((entry) => `${entry.provider}:${entry.model}`);
  return usable.length > 0 || provider !== undefined ? usable : ["local"];
}

/**
 * Looks the asset up by the hash of its inputs and the serving chain; only on a miss does it call the
 * router (which records the attempt in the ledger, idempotently under the same key), then stores the
 * result. Either way the cost lands in the receipt: paid, or saved by the cache.
 */
export async function routedAsset<C extends Capability>(
  context: RunContext,
  spec: RoutedAssetSpec<C>,
): Promise<{ asset: CachedAsset; cached: boolean }> {
  const key = inputKey(spec.kind, {
    inputs: spec.inputs,
    chain: servingChain(context, spec.capability, spec.provider),
  });
  let routed: RouteResult<C> | undefined;
  const { asset, cached } = await context.cache.getOrCreate(key, spec.kind, async () => {
    routed = await context.resources.router.route(spec.capability, spec.request, {
      tier: context.tierName,
      userId: context.userId,
      jobId: context.videoId,
      // The cache key is shared by every job; the ledger's key must be this job's, so another user's
      // real call for the same asset is recorded, while this job's own retries are not recorded twice.
      idempotencyKey: `${context.videoId}:${key}`,
      modelOverride: context.request.modelOverrides?.[spec.capability],
      provider: spec.provider,
      signal: context.signal,
    });
    const produced = spec.toAsset(routed.result);
    return {
      ...produced,
      provider: routed.provider,
      model: routed.answeredModel,
      costMicros: routed.totalCostMicros,
      metadata: { ...produced.metadata, units: unitsOf(spec.capability, routed.result) },
    };
  });
  const units = (asset.metadata.units as { units: number; unit: CostLine["unit"] } | undefined) ?? {
    units: 0,
    unit: "requests" as const,
  };
  context.addCost(
    {
      stage: spec.stage,
      capability: spec.capability,
      provider: asset.provider ?? "unknown",
      model: asset.model ?? "unknown",
      units: units.units,
      unit: units.unit,
      // Only a call made by this job was paid by it; a shared or earlier result is a saving.
      costMicros: routed ? routed.totalCostMicros : 0,
      cached: routed === undefined,
      savedMicros: routed ? 0 : asset.costMicros,
    },
    key,
  );
  return { asset, cached: cached || routed === undefined };
}

function unitsOf(capability: Capability, result: unknown): { units: number; unit: CostLine["unit"] } {
  switch (capability) {
    case "script": {
      const usage = (result as ResultByCapability["script"]).usage;
      return { units: usage.inputTokens + usage.outputTokens, unit: "tokens" };
    }
    case "image":
      return { units: 1, unit: "images" };
    case "voice":
      return { units: (result as ResultByCapability["voice"]).characters, unit: "characters" };
    case "video":
    case "lip_sync":
      return { units: (result as ResultByCapability["video"]).durationSeconds, unit: "seconds" };
    case "voice_clone":
      return { units: 1, unit: "requests" };
  }
}
