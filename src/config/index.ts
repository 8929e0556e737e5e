export { loadDotEnv, PROVIDER_KEY_VARIABLES } from "./environment.ts";
export {
  type AppConfig,
  type DatabaseConfig,
  type LoadConfigOptions,
  loadConfig,
  loadYamlFile,
  PROJECT_ROOT,
  type ProviderConnection,
  type QueueConfig,
  type RenderCacheConfig,
  type StorageConfig,
} from "./load-config.ts";
export { CAPABILITIES, type Capability, type ChainEntry, type ModelPrice } from "./models-schema.ts";
export { RESOLUTIONS, type Resolution, TIER_NAMES, type Tier, type TierName } from "./tiers-schema.ts";
