import type { Capability, TierName } from "../config/index.ts";
import { LitinkError } from "../errors/index.ts";
import type { ProviderError } from "../providers/index.ts";
import type { AttemptRecord, SkipRecord } from "./router-types.ts";

/**
 * The error when no model of the chain answered: names every model tried with its error code and every
 * model passed over with its reason; retryable when any failure was transient (a later run may succeed).
 */
export function exhaustedError(
  capability: Capability,
  tier: TierName,
  attempts: readonly AttemptRecord[],
  skipped: readonly SkipRecord[],
  failures: readonly ProviderError[],
): LitinkError {
  const tried = failures.map((failure) => `${failure.provider}/${failure.modelId ?? "?"}: ${failure.code}`);
  const passed = skipped.map((skip) => `${skip.provider}/${skip.model}: ${skip.reason}`);
  const transient =
    failures.some((failure) => failure.retryable) ||
    skipped.some((skip) => skip.reason === "circuit_open" || skip.reason === "rate_limited");
  return new LitinkError(
    "router.exhausted",
    `no ${capability} model answered for the ${tier} tier (tried ${tried.join("; ") || "none"}; skipped ${passed.join("; ") || "none"})${transient ? "; the failures look temporary, try again later" : ""}`,
    { retryable: transient, details: { capability, tier, attempts, skipped } },
  );
}
