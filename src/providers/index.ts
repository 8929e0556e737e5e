export {
  isProviderError,
  ProviderError,
  type ProviderErrorKind,
  type ProviderErrorOptions,
} from "./provider-error.ts";
export type * from "./types.ts";
