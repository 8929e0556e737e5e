import { setTimeout as delay } from "node:timers/promises";
import type { Capability, ChainEntry, TierName } from "../config/index.ts";
import { LitinkError } from "../errors/index.ts";
import { type Micros, sumMicros } from "../money/index.ts";
import {
  isProviderError,
  type ModelByCapability,
  type Provider,
  type ProviderError,
  type RequestByCapability,
  type ResultByCapability,
} from "../providers/index.ts";
import { toAttemptError } from "./attempt-error.ts";
import { CostGuard } from "./cost-guard.ts";
import { actualCost, estimateCost } from "./estimate-cost.ts";
import { exhaustedError } from "./exhausted-error.ts";
import { invokeModel } from "./invoke-model.ts";
import { Ledger } from "./ledger.ts";
import { localEntry } from "./local-entry.ts";
import { backoffDelay, isCircuitOpen, ModelPolicies } from "./model-policies.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { chainFor, cheapestTier, resolveChain } from "./resolve-chain.ts";
import { DEFAULT_ROUTER_POLICY, type RateLimit, type RouterPolicyOptions } from "./router-policy-options.ts";
import type {
  AttemptRecord,
  ModelRouter,
  RouteContext,
  RouteResult,
  RouterResources,
  SkipReason,
  SkipRecord,
} from "./router-types.ts";

/** Thrown inside an attempt to move to the next model without a call (and without a ledger row). */
class Divert extends Error {
  constructor(readonly reason: SkipReason) {
    super(reason);
  }
}

/** How one chain entry ended. */
type EntryOutcome<C extends Capability> =
  | { readonly kind: "served"; readonly result: ResultByCapability[C]; readonly attempt: AttemptRecord }
  | { readonly kind: "skipped"; readonly reason: SkipReason }
  | { readonly kind: "failed"; readonly error: ProviderError };

/**
 * Builds the model router from plain resources (no module state): chains by tier from
 * config/models.yaml, retries with full-jitter backoff, a circuit breaker per model, rate limits per
 * provider and model, the cost guard, and the ledger. See {@link ModelRouter.route}.
 *
 * @example
 * const router = createRouter({ config, db, providers: [openrouter, local], logger });
 * const { result, costMicros } = await router.route("script", request, { tier: "basic", idempotencyKey });
 */
export function createRouter(resources: RouterResources): ModelRouter {
  const { config, logger } = resources;
  const policy: RouterPolicyOptions = { ...DEFAULT_ROUTER_POLICY, ...resources.policy };
  const now = resources.clock ?? Date.now;
  const random = resources.random ?? Math.random;
  const sleep =
    resources.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : {}));
  const providers = new Map(resources.providers.map((provider) => [provider.name, provider]));
  const ledger = resources.ledger ?? new Ledger(resources.db);
  const guard = new CostGuard({
    config,
    db: resources.db,
    ledger,
    logger,
    now,
    refreshMs: policy.monthToDateRefreshMs,
  });
  const limiter = new RateLimiter((key) => rateLimitFor(policy, key), now);
  const policies = new ModelPolicies(policy);

  async function route<C extends Capability>(
    capability: C,
    request: RequestByCapability[C],
    context: RouteContext,
  ): Promise<RouteResult<C>> {
    if (context.idempotencyKey.length === 0) {
      throw new LitinkError("router.invalid_call", "route() needs a non-empty idempotencyKey");
    }
    if (context.signal?.aborted === true) {
      throw new LitinkError("router.aborted", `the ${capability} call was cancelled before it started`, {
        cause: context.signal.reason,
        details: { capability },
      });
    }
    // Validate the user's model choice and the tier first: those are the user's to fix, whatever they spent.
    if (chainFor(config, capability, context.tier, context.modelOverride).length === 0) {
      throw new LitinkError(
        "router.not_in_tier",
        `the ${config.tiers[context.tier].name} tier has no ${capability} models (config/models.yaml chains.${capability}.${context.tier} is empty); upgrade the tier to use ${capability}`,
        { userFacing: true, details: { capability, tier: context.tier } },
      );
    }
    let chainTier: TierName = context.tier;
    let modelOverride = context.modelOverride;
    let downgraded = false;
    if (context.userId !== undefined && (await guard.check(context.userId, context.tier)) === "downgrade") {
      const cheapest = cheapestTier(config, providers, capability, request);
      if (cheapest !== undefined && cheapest !== context.tier) {
        chainTier = cheapest;
        modelOverride = undefined;
        downgraded = true;
      }
    }
    const resolved = resolveChain(config, providers, capability, chainTier, modelOverride, context.provider);
    const skipped: SkipRecord[] = [...resolved.skipped];
    let entries = resolved.usable;
    // A pinned call never goes to the offline provider: it does not have what the call names.
    if (context.provider !== undefined && entries.length === 0) {
      throw exhaustedError(capability, chainTier, [], skipped, []);
    }
    const offline = entries.length === 0;
    if (offline) entries = [offlineEntry(capability, resolved.skipped)];

    const attempts: AttemptRecord[] = [];
    const failures: ProviderError[] = [];
    const refusedProviders = new Set<string>();
    for (const entry of entries) {
      if (refusedProviders.has(entry.provider)) {
        skipped.push({ provider: entry.provider, model: entry.model, reason: "provider_refused" });
        continue;
      }
      const outcome = await runEntry(capability, request, context, entry, attempts, {
        offline,
        downgraded,
      });
      if (outcome.kind === "served") {
        return {
          capability,
          result: outcome.result,
          provider: entry.provider,
          model: entry.model,
          answeredModel: answeredModel(outcome.result, entry),
          costMicros: outcome.attempt.costMicros,
          totalCostMicros: sumMicros(attempts.map((attempt) => attempt.costMicros)),
          estimatedCostMicros: outcome.attempt.estimatedCostMicros,
          attempts,
          skipped,
          offline,
          downgraded,
        };
      }
      if (outcome.kind === "skipped") {
        skipped.push({ provider: entry.provider, model: entry.model, reason: outcome.reason });
        logger.debug({
          event: "route_skip",
          capability,
          provider: entry.provider,
          model: entry.model,
          reason: outcome.reason,
        });
        continue;
      }
      const error = outcome.error;
      failures.push(error);
      if (error.kind === "moderation") {
        throw new LitinkError(
          "router.refused_by_moderation",
          `${entry.provider}/${entry.model} refused the ${capability} request on content grounds (${error.message}); rephrase the passage or choose another model`,
          {
            cause: error,
            userFacing: true,
            details: { capability, provider: entry.provider, model: entry.model, attempts },
          },
        );
      }
      if (error.kind === "auth" || error.kind === "no_credits") refusedProviders.add(entry.provider);
    }
    throw exhaustedError(capability, context.tier, attempts, skipped, failures);
  }

  function offlineEntry(capability: Capability, skipped: readonly SkipRecord[]): ChainEntry {
    const reasons = skipped.map((skip) => `${skip.provider}/${skip.model}: ${skip.reason}`).join(", ");
    if (config.requireRemote) {
      throw new LitinkError(
        "router.remote_required",
        `no remote ${capability} model is usable (${reasons}) and LITINK_REQUIRE_REMOTE=true forbids the offline fallback; set OPENROUTER_API_KEY, MODELSLAB_API_KEY or ELEVENLABS_API_KEY, or unset LITINK_REQUIRE_REMOTE`,
        { userFacing: true, details: { capability, skipped } },
      );
    }
    const local = providers.get("local");
    if (local === undefined || local.supports[capability] === undefined) {
      throw new LitinkError(
        "router.no_provider",
        `no ${capability} model is usable (${reasons}) and the offline provider cannot do ${capability}; set the API key of a provider in config/models.yaml chains.${capability}`,
        { userFacing: true, details: { capability, skipped } },
      );
    }
    return localEntry(capability);
  }

  async function runEntry<C extends Capability>(
    capability: C,
    request: RequestByCapability[C],
    context: RouteContext,
    entry: ChainEntry,
    attempts: AttemptRecord[],
    flags: { offline: boolean; downgraded: boolean },
  ): Promise<EntryOutcome<C>> {
    const provider = providers.get(entry.provider) as Provider;
    let model: ModelByCapability[C];
    try {
      model = provider.model(capability, entry.model);
    } catch (error) {
      if (isProviderError(error) && error.kind === "unsupported")
        return { kind: "skipped", reason: "unsupported" };
      throw error;
    }
    const estimate = estimateCost(entry, request);
    const breaker = policies.breaker(entry.provider, entry.model);
    const attemptTimeout = policies.timeout(capability);
    let tries = 0;
    let lastError: ProviderError | undefined;
    try {
      const served = await policies.retry.execute(async ({ attempt: retryNumber }) => {
        let waitedMs = 0;
        if (retryNumber > 0) {
          waitedMs = backoffDelay(retryNumber, policy, random, lastError?.retryAfterMs);
          await sleep(waitedMs, context.signal);
        }
        const waitedOutRetryAfter = lastError?.retryAfterMs !== undefined && retryNumber > 0;
        const release = limiter.tryAcquire(entry.provider, entry.model, waitedOutRetryAfter);
        if (release === undefined) throw new Divert("rate_limited");
        const tryNumber = tries + 1;
        const started = performance.now();
        let result: ResultByCapability[C];
        try {
          result = await breaker.execute(
            () =>
              attemptTimeout
                .execute(
                  (_, signal) =>
                    invokeModel(model, capability, request, {
                      signal,
                      idempotencyKey: `${context.idempotencyKey}|${entry.provider}/${entry.model}#${tryNumber}`,
                    }),
                  context.signal,
                )
                .catch((error: unknown) => {
                  throw toAttemptError(error, entry, policies.timeoutMs(capability), context.signal);
                }),
            context.signal,
          );
        } catch (error) {
          release();
          if (isCircuitOpen(error)) throw new Divert("circuit_open");
          const failure = toAttemptError(error, entry, policies.timeoutMs(capability), context.signal);
          // By contract a provider refuses an unsupported option before any call: nothing to record.
          if (failure.kind === "unsupported") throw new Divert("unsupported");
          tries = tryNumber;
          if (failure.kind === "rate_limited" && failure.retryAfterMs !== undefined) {
            limiter.block(entry.provider, entry.model, failure.retryAfterMs);
          }
          lastError = failure;
          const latencyMs = performance.now() - started;
          const record = await recordAttempt(capability, context, entry, {
            tryNumber,
            latencyMs,
            waitedMs,
            estimateMicros: estimate.micros,
            failure,
            flags,
          });
          attempts.push(record);
          logger.warn(
            {
              event: "route_attempt_failed",
              capability,
              provider: entry.provider,
              model: entry.model,
              attempt: tryNumber,
              code: failure.code,
              status: failure.status,
            },
            `${entry.provider}/${entry.model} failed: ${failure.message}`,
          );
          throw failure;
        }
        release();
        tries = tryNumber;
        const latencyMs = performance.now() - started;
        const record = await recordAttempt(capability, context, entry, {
          tryNumber,
          latencyMs,
          waitedMs,
          estimateMicros: estimate.micros,
          success: { request, result },
          flags,
        });
        attempts.push(record);
        return { result, record };
      }, context.signal);
      return { kind: "served", result: served.result, attempt: served.record };
    } catch (error) {
      if (error instanceof Divert) {
        // Diverted on a retry (breaker opened, Retry-After block): the model did fail, say how.
        return lastError === undefined
          ? { kind: "skipped", reason: error.reason }
          : { kind: "failed", error: lastError };
      }
      if (context.signal?.aborted === true) {
        throw new LitinkError("router.aborted", `the ${capability} call was cancelled`, {
          cause: error,
          details: { capability, attempts },
        });
      }
      if (isProviderError(error)) return { kind: "failed", error };
      throw error;
    }
  }

  async function recordAttempt<C extends Capability>(
    capability: C,
    context: RouteContext,
    entry: ChainEntry,
    attempt: {
      tryNumber: number;
      latencyMs: number;
      waitedMs: number;
      estimateMicros: Micros;
      success?: { request: RequestByCapability[C]; result: ResultByCapability[C] };
      failure?: ProviderError;
      flags: { offline: boolean; downgraded: boolean };
    },
  ): Promise<AttemptRecord> {
    const at = new Date(now());
    const cost = attempt.success
      ? actualCost(entry, attempt.success.request, attempt.success.result)
      : undefined;
    const costMicros = cost?.micros ?? 0;
    const answered = attempt.success ? answeredModel(attempt.success.result, entry) : undefined;
    const recorded = await ledger.record({
      userId: context.userId,
      jobId: context.jobId,
      tier: context.tier,
      capability,
      provider: entry.provider,
      model: entry.model,
      unit: entry.price.unit,
      units: cost !== undefined && cost.unit !== "tokens" ? cost.quantity : undefined,
      inputTokens: cost?.inputTokens,
      outputTokens: cost?.outputTokens,
      latencyMs: attempt.latencyMs,
      estimatedCostMicros: attempt.estimateMicros,
      costMicros,
      outcome: attempt.success ? "succeeded" : "failed",
      errorCode: attempt.failure?.code,
      idempotencyKey: context.idempotencyKey,
      attempt: attempt.tryNumber,
      metadata: {
        ...(answered !== undefined && answered !== entry.model ? { answeredModel: answered } : {}),
        ...(attempt.failure
          ? { error: attempt.failure.message.slice(0, 500), status: attempt.failure.status }
          : {}),
        ...(attempt.waitedMs > 0 ? { waitedMs: attempt.waitedMs } : {}),
        ...(attempt.flags.offline ? { offline: true } : {}),
        ...(attempt.flags.downgraded ? { downgraded: true } : {}),
      },
      at,
    });
    if (recorded && context.userId !== undefined) guard.add(context.userId, costMicros, at);
    return {
      provider: entry.provider,
      model: entry.model,
      attempt: attempt.tryNumber,
      outcome: attempt.success ? "succeeded" : "failed",
      errorCode: attempt.failure?.code,
      errorKind: attempt.failure?.kind,
      latencyMs: attempt.latencyMs,
      waitedMs: attempt.waitedMs,
      estimatedCostMicros: attempt.estimateMicros,
      costMicros,
      recorded,
    };
  }

  return {
    route,
    resolveChain: (capability, tier, modelOverride, pinnedProvider) =>
      resolveChain(config, providers, capability, tier, modelOverride, pinnedProvider),
    breakerState: (provider, model) => policies.breakerState(provider, model),
  };
}

function rateLimitFor(policy: RouterPolicyOptions, key: string): RateLimit {
  return policy.rateLimits[key] ?? policy.rateLimits[key.split("/")[0] ?? key] ?? policy.rateLimits.default;
}

function answeredModel(result: ResultByCapability[Capability], entry: ChainEntry): string {
  return result.modelId || entry.model;
}
