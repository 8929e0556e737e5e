export type { OpenRouterProviderPreferences } from "./openrouter-api-types.ts";
export {
  createOpenRouter,
  OPENROUTER_BASE_URL,
  type OpenRouterProvider,
  type OpenRouterSettings,
} from "./openrouter-provider.ts";
export { OpenRouterTextModel, type OpenRouterTextSettings } from "./openrouter-text-model.ts";
