export { LOCAL_MODEL_IDS } from "./local-model-ids.ts";
export { createLocal, LOCAL_SUPPORTS } from "./local-provider.ts";
export type { LocalProviderOptions } from "./local-provider-options.ts";
