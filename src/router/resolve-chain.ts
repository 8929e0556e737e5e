import {
  type AppConfig,
  type Capability,
  type ChainEntry,
  TIER_NAMES,
  type TierName,
} from "../config/index.ts";
import { LitinkError } from "../errors/index.ts";
import type { Provider } from "../providers/index.ts";
import { type AnyRequest, estimateCost } from "./estimate-cost.ts";
import type { ResolvedChain, SkipRecord } from "./router-types.ts";

/**
 * The ordered chain for `capability` on `tier`. A user-chosen model goes first (the tier's chain stays
 * behind it as fallbacks), and only where the tier allows custom model selection; the model must be one
 * configured for this capability on this tier or a cheaper one.
 *
 * @throws LitinkError `router.custom_model_not_allowed`, `router.unknown_model` (both user-facing)
 */
export function chainFor(
  config: AppConfig,
  capability: Capability,
  tier: TierName,
  modelOverride?: string,
): readonly ChainEntry[] {
  const chain = config.models.chains[capability][tier];
  if (modelOverride === undefined) return chain;
  const tierRules = config.tiers[tier];
  if (!tierRules.customModelSelection) {
    throw new LitinkError(
      "router.custom_model_not_allowed",
      `the ${tierRules.name} tier uses fixed models, so "${modelOverride}" cannot be chosen for ${capability}; ` +
        "remove the model choice or upgrade to a tier with model selection (Standard or above)",
      { userFacing: true, details: { tier, capability, model: modelOverride } },
    );
  }
  const allowed = allowedModels(config, capability, tier);
  const chosen = allowed.find(
    (entry) => entry.model === modelOverride || `${entry.provider}:${entry.model}` === modelOverride,
  );
  if (chosen === undefined) {
    const names = [...new Set(allowed.map((entry) => entry.model))];
    throw new LitinkError(
      "router.unknown_model",
      `"${modelOverride}" is not a ${capability} model available on the ${tierRules.name} tier; ` +
        `choose one of: ${names.length > 0 ? names.join(", ") : "(none)"} (see \`litink models\`)`,
      { userFacing: true, details: { tier, capability, model: modelOverride, allowed: names } },
    );
  }
  return [chosen, ...chain.filter((entry) => !sameEntry(entry, chosen))];
}

/** Models a user on `tier` may choose for `capability`: those of its chain and of every cheaper tier. */
export function allowedModels(config: AppConfig, capability: Capability, tier: TierName): ChainEntry[] {
  const upTo = TIER_NAMES.indexOf(tier);
  const seen = new Set<string>();
  const models: ChainEntry[] = [];
  for (const name of TIER_NAMES.slice(0, upTo + 1).reverse()) {
    for (const entry of config.models.chains[capability][name]) {
      const key = `${entry.provider}:${entry.model}`;
      if (!seen.has(key)) {
        seen.add(key);
        models.push(entry);
      }
    }
  }
  return models;
}

/**
 * Why `entry` cannot be called at all, or undefined when it can: its provider needs an API key that is
 * not set, has no registered client (e.g. `openai`), or does not declare the capability.
 */
function entrySkipReason(
  config: AppConfig,
  providers: ReadonlyMap<string, Provider>,
  capability: Capability,
  entry: ChainEntry,
): SkipRecord["reason"] | undefined {
  const connections = config.providers as Readonly<Record<string, { apiKey: string | undefined }>>;
  const connection = connections[entry.provider];
  if (connection !== undefined && connection.apiKey === undefined) return "no_api_key";
  const provider = providers.get(entry.provider);
  if (provider === undefined) return "no_client";
  if (provider.supports[capability] === undefined) return "unsupported";
  return undefined;
}

/**
 * The chain split into what can be called and what is skipped before any call. With `pinnedProvider`
 * (a call naming something only that provider has, see `RouteContext.provider`), the other providers'
 * models are skipped as `pinned_elsewhere`.
 */
export function resolveChain(
  config: AppConfig,
  providers: ReadonlyMap<string, Provider>,
  capability: Capability,
  tier: TierName,
  modelOverride?: string,
  pinnedProvider?: string,
): ResolvedChain {
  const entries = chainFor(config, capability, tier, modelOverride);
  const skipped: SkipRecord[] = [];
  const usable: ChainEntry[] = [];
  for (const entry of entries) {
    const reason = entrySkipReason(config, providers, capability, entry);
    if (reason !== undefined) skipped.push({ provider: entry.provider, model: entry.model, reason });
    else if (pinnedProvider !== undefined && entry.provider !== pinnedProvider)
      skipped.push({ provider: entry.provider, model: entry.model, reason: "pinned_elsewhere" });
    else usable.push(entry);
  }
  return { capability, tier, entries, skipped, usable };
}

/**
 * The tier whose chain serves `request` cheapest: the estimated cost of each tier's first usable model,
 * ties going to the cheaper tier. Used by the cost guard's downgrade. Undefined when no tier has a usable
 * model for the capability.
 */
export function cheapestTier(
  config: AppConfig,
  providers: ReadonlyMap<string, Provider>,
  capability: Capability,
  request: AnyRequest,
): TierName | undefined {
  let best: { tier: TierName; micros: number } | undefined;
  for (const tier of TIER_NAMES) {
    const first = config.models.chains[capability][tier].find(
      (entry) => entrySkipReason(config, providers, capability, entry) === undefined,
    );
    if (first === undefined) continue;
    const micros = estimateCost(first, request).micros;
    if (best === undefined || micros < best.micros) best = { tier, micros };
  }
  return best?.tier;
}

function sameEntry(a: ChainEntry, b: ChainEntry): boolean {
  return a.provider === b.provider && a.model === b.model;
}
