import {
  type AppConfig,
  CAPABILITIES,
  type Capability,
  type ChainEntry,
  PROVIDER_KEY_VARIABLES,
  TIER_NAMES,
} from "../config/index.ts";
import { isLitinkError } from "../errors/index.ts";
import type { Micros } from "../money/index.ts";
import type { ImageRequest, Provider, RequestByCapability, TextRequest } from "../providers/index.ts";
import { type AnyRequest, actualCost, estimateCost } from "./estimate-cost.ts";
import { invokeModel } from "./invoke-model.ts";

/** The result of probing one provider. */
export interface ProviderCheck {
  readonly provider: string;
  /** False when the provider's key is not set: nothing was called. */
  readonly configured: boolean;
  readonly ok: boolean;
  /** What was called: `script openai/gpt-4o-mini`, `GET voices`. */
  readonly probe?: string | undefined;
  readonly latencyMs?: number | undefined;
  readonly costMicros?: Micros | undefined;
  readonly errorCode?: string | undefined;
  readonly error?: string | undefined;
  /** How to configure the provider when it is not. */
  readonly hint?: string | undefined;
}

/** Options of {@link checkProviders}. */
export interface CheckProvidersOptions {
  /** Per-probe timeout. @defaultValue 30_000 */
  readonly timeoutMs?: number | undefined;
  /** @defaultValue performance.now */
  readonly now?: (() => number) | undefined;
}

const SCRIPT_PROBE: TextRequest = {
  messages: [{ role: "user", content: "Reply with the single word OK." }],
  maxOutputTokens: 5,
  temperature: 0,
};
const IMAGE_PROBE: ImageRequest = { prompt: "a small red circle on white", width: 512, height: 512 };
/** Cheapest first: a listing costs nothing, a five-token reply next to nothing. */
const PROBE_CAPABILITIES: readonly Capability[] = ["script", "image"];

/**
 * Makes one cheap real call per configured remote provider (a free listing where the client has one,
 * else the cheapest text or image model of config/models.yaml for that provider) and reports latency,
 * cost and errors. Probes run one after the other; none goes through the router or the ledger.
 */
export async function checkProviders(
  config: AppConfig,
  providers: readonly Provider[],
  options: CheckProvidersOptions = {},
): Promise<ProviderCheck[]> {
  const now = options.now ?? (() => performance.now());
  const timeoutMs = options.timeoutMs ?? 30_000;
  const checks: ProviderCheck[] = [];
  for (const [name, variable] of Object.entries(PROVIDER_KEY_VARIABLES)) {
    const connection = config.providers[name as keyof AppConfig["providers"]];
    const provider = providers.find((candidate) => candidate.name === name);
    if (connection.apiKey === undefined || provider === undefined) {
      checks.push({ provider: name, configured: false, ok: false, hint: `set ${variable} to use ${name}` });
      continue;
    }
    checks.push(await probe(config, provider, timeoutMs, now));
  }
  return checks;
}

async function probe(
  config: AppConfig,
  provider: Provider,
  timeoutMs: number,
  now: () => number,
): Promise<ProviderCheck> {
  const signal = AbortSignal.timeout(timeoutMs);
  const started = now();
  const listVoices = (provider as { listVoices?: (options: { signal: AbortSignal }) => Promise<unknown> })
    .listVoices;
  const plan = listVoices === undefined ? cheapestProbe(config, provider) : undefined;
  const label = plan === undefined ? "GET voices" : `${plan.capability} ${plan.entry.model}`;
  try {
    if (listVoices !== undefined) {
      await listVoices.call(provider, { signal });
      return {
        provider: provider.name,
        configured: true,
        ok: true,
        probe: label,
        latencyMs: now() - started,
        costMicros: 0,
      };
    }
    if (plan === undefined) {
      return {
        provider: provider.name,
        configured: true,
        ok: false,
        error: "no text or image model of this provider in config/models.yaml to probe with",
      };
    }
    const model = provider.model(plan.capability, plan.entry.model);
    const result = await invokeModel(model, plan.capability, plan.request as never, { signal });
    return {
      provider: provider.name,
      configured: true,
      ok: true,
      probe: label,
      latencyMs: now() - started,
      costMicros: actualCost(plan.entry, plan.request, result).micros,
    };
  } catch (error) {
    return {
      provider: provider.name,
      configured: true,
      ok: false,
      probe: label,
      latencyMs: now() - started,
      errorCode: isLitinkError(error) ? error.code : signal.aborted ? "provider.timeout" : "unexpected",
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

function isFree(entry: ChainEntry): boolean {
  const { unit: _unit, ...prices } = entry.price;
  return Object.values(prices).every((micros) => micros === 0);
}

function cheapestProbe(
  config: AppConfig,
  provider: Provider,
): { capability: Capability; entry: ChainEntry; request: AnyRequest } | undefined {
  for (const capability of PROBE_CAPABILITIES) {
    if (provider.supports[capability] === undefined || !CAPABILITIES.includes(capability)) continue;
    const request: RequestByCapability["script" | "image"] =
      capability === "script" ? SCRIPT_PROBE : IMAGE_PROBE;
    const entries = TIER_NAMES.flatMap((tier) => config.models.chains[capability][tier]).filter(
      (entry) => entry.provider === provider.name,
    );
    let best: { entry: ChainEntry; micros: number } | undefined;
    for (const entry of entries) {
      // A free model is often rate-limited to nothing; prefer the cheapest paid one when there is one.
      const rank = isFree(entry) ? Number.MAX_SAFE_INTEGER : estimateCost(entry, request).micros;
      if (best === undefined || rank < best.micros) best = { entry, micros: rank };
    }
    if (best !== undefined) return { capability, entry: best.entry, request };
  }
  return undefined;
}
