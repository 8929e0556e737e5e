import type { Capability, ChainEntry } from "../config/index.ts";
import { LOCAL_MODEL_IDS } from "../providers/local/index.ts";

/** A chain entry for the offline provider: free, named as the local provider names its models. */
export function localEntry(capability: Capability): ChainEntry {
  const ids: Readonly<Partial<Record<Capability, string>>> = LOCAL_MODEL_IDS;
  return {
    provider: "local",
    model: ids[capability] ?? `local-${capability}`,
    price: { unit: "request", perRequestMicros: 0 },
    source: "local",
  };
}
