import type { Capability } from "../../config/index.ts";

/**
 * The model ids the local provider is known by (any id works; these are the names the router uses when
 * it falls back to offline mode, and the names that appear in the ledger and receipts).
 */
export const LOCAL_MODEL_IDS = {
  script: "local-screenwriter",
  image: "local-illustrator",
  voice: "local-espeak-ng",
  video: "local-ken-burns",
} as const satisfies { readonly [C in Capability]?: string };
