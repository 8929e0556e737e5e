export { type CheckProvidersOptions, checkProviders, type ProviderCheck } from "./check-providers.ts";
export { CostGuard, type CostGuardResources, type CostVerdict } from "./cost-guard.ts";
export { createRouter } from "./create-router.ts";
export { describePrice } from "./describe-price.ts";
export {
  type AnyRequest,
  type AnyResult,
  actualCost,
  type CostBreakdown,
  countChatTokens,
  DEFAULT_ESTIMATED_OUTPUT_TOKENS,
  estimateCost,
} from "./estimate-cost.ts";
export { Ledger, type LedgerEntry } from "./ledger.ts";
export { allowedModels, chainFor, cheapestTier, resolveChain } from "./resolve-chain.ts";
export { DEFAULT_ROUTER_POLICY, type RateLimit, type RouterPolicyOptions } from "./router-policy-options.ts";
export type {
  AttemptRecord,
  ModelRouter,
  ResolvedChain,
  RouteContext,
  RouteResult,
  RouterResources,
  SkipReason,
  SkipRecord,
} from "./router-types.ts";
