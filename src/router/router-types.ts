import type { AppConfig, Capability, ChainEntry, TierName } from "../config/index.ts";
import type { DatabaseHandle } from "../db/index.ts";
import type { Logger } from "../logging/index.ts";
import type { Micros } from "../money/index.ts";
import type {
  Provider,
  ProviderErrorKind,
  RequestByCapability,
  ResultByCapability,
} from "../providers/index.ts";
import type { Ledger } from "./ledger.ts";
import type { RouterPolicyOptions } from "./router-policy-options.ts";

/** Who is asking, under which tier, and how to recognise a replay of the same call. */
export interface RouteContext {
  /** The tier at the time of the call: picks the chain and is written to `usage_logs.tier_at_time`. */
  readonly tier: TierName;
  /** The user (a `users.id` uuid) the cost is charged to; without one the cost guard is skipped. */
  readonly userId?: string | undefined;
  /** The job this call belongs to, written to `usage_logs.job_id`. */
  readonly jobId?: string | undefined;
  /**
   * Stable across retries of the same logical call (e.g. `video:scene-3:image`). A replay with the same
   * key never records an attempt twice.
   */
  readonly idempotencyKey: string;
  /** A model id chosen by the user; honoured only when the tier allows custom model selection. */
  readonly modelOverride?: string | undefined;
  /**
   * Only this provider's models may serve the call: its request names something only that provider
   * has (a voice cloned there). The rest of the chain is skipped as `pinned_elsewhere`, and the offline
   * provider never stands in.
   */
  readonly provider?: string | undefined;
  /** Cancels the call (the user's Ctrl-C, a job timeout). */
  readonly signal?: AbortSignal | undefined;
}

/** What happened to one attempt (one real call to a provider). */
export interface AttemptRecord {
  readonly provider: string;
  readonly model: string;
  /** 1-based try number of this model within this call (the ledger's `attempt`). */
  readonly attempt: number;
  readonly outcome: "succeeded" | "failed";
  /** The error code (`provider.server`, …) when the attempt failed. */
  readonly errorCode?: string | undefined;
  readonly errorKind?: ProviderErrorKind | undefined;
  readonly latencyMs: number;
  /** How long the router waited before this attempt (backoff, Retry-After). */
  readonly waitedMs: number;
  readonly estimatedCostMicros: Micros;
  readonly costMicros: Micros;
  /** False when the ledger already held this attempt (an idempotent replay). */
  readonly recorded: boolean;
}

/** Why a chain entry was passed over without a call. */
export type SkipReason =
  | "no_api_key"
  | "no_client"
  | "unsupported"
  | "circuit_open"
  | "rate_limited"
  | "provider_refused"
  /** The call is pinned to another provider (see {@link RouteContext.provider}). */
  | "pinned_elsewhere";

/** A chain entry the router did not call, and why. */
export interface SkipRecord {
  readonly provider: string;
  readonly model: string;
  readonly reason: SkipReason;
}

/** The answer of {@link ModelRouter.route}: the result, who served it, every attempt and the cost. */
export interface RouteResult<C extends Capability> {
  readonly capability: C;
  readonly result: ResultByCapability[C];
  /** The provider and the chain model that served (as in config/models.yaml). */
  readonly provider: string;
  readonly model: string;
  /** The model the provider says answered (OpenRouter may differ from `model`). */
  readonly answeredModel: string;
  /** The cost of the serving attempt: provider-reported where available, else computed from usage. */
  readonly costMicros: Micros;
  /** The cost of every attempt of this call (failed attempts are normally 0). Matches `usage_logs`. */
  readonly totalCostMicros: Micros;
  readonly estimatedCostMicros: Micros;
  readonly attempts: readonly AttemptRecord[];
  readonly skipped: readonly SkipRecord[];
  /** True when no remote provider was usable and the offline `local` provider served. */
  readonly offline: boolean;
  /** True when the cost guard moved the call to the cheapest chain. */
  readonly downgraded: boolean;
}

/** The chain the router will try for one capability and tier, before runtime skips. */
export interface ResolvedChain {
  readonly capability: Capability;
  readonly tier: TierName;
  /** The chain entries in order (custom model first when one was chosen). */
  readonly entries: readonly ChainEntry[];
  /** Entries dropped before any call, and why (no key, no client, unsupported capability). */
  readonly skipped: readonly SkipRecord[];
  /** Entries left to try. Empty means offline mode (or an error in strict mode). */
  readonly usable: readonly ChainEntry[];
}

/** Routes every AI call: chains by tier, retries, breakers, rate limits, cost guard, ledger. */
export interface ModelRouter {
  /**
   * Runs `request` on the first model of the tier's chain that answers, recording every attempt.
   * @throws LitinkError `router.*` (custom model refused, nothing usable, all models failed) or a
   *   ProviderError that no other model can fix (moderation).
   */
  route<C extends Capability>(
    capability: C,
    request: RequestByCapability[C],
    context: RouteContext,
  ): Promise<RouteResult<C>>;
  /** The chain for a capability and tier, with the entries that would be skipped before any call. */
  resolveChain(
    capability: Capability,
    tier: TierName,
    modelOverride?: string,
    pinnedProvider?: string,
  ): ResolvedChain;
  /** Current breaker state of a model: closed, open, half-open or isolated. */
  breakerState(provider: string, model: string): "closed" | "open" | "half-open" | "isolated";
}

/** What {@link createRouter} needs; nothing is read from module state. */
export interface RouterResources {
  readonly config: AppConfig;
  readonly db: DatabaseHandle["db"];
  /** Registered provider clients, by `Provider.name`. `local` serves when nothing remote is usable. */
  readonly providers: readonly Provider[];
  readonly logger: Logger;
  /** Milliseconds since the epoch. @defaultValue Date.now */
  readonly clock?: (() => number) | undefined;
  /** A number in [0, 1) for backoff jitter. @defaultValue Math.random */
  readonly random?: (() => number) | undefined;
  /** Waits `ms` (rejecting when `signal` aborts). @defaultValue a timer */
  readonly sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  /** Timeouts, retries, breaker and rate limits. @defaultValue {@link DEFAULT_ROUTER_POLICY} */
  readonly policy?: Partial<RouterPolicyOptions> | undefined;
  /** Where attempts are recorded. @defaultValue `new Ledger(db)`; the benchmark passes a discarding one */
  readonly ledger?: Ledger | undefined;
}
