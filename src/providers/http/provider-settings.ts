import type { FetchFunction } from "./call-context.ts";
import type { Clock } from "./clock.ts";

/** What every remote provider factory takes: `create<Name>({ apiKey, baseURL, fetch })`. */
export interface ProviderSettings {
  readonly apiKey: string;
  /** Where the API lives; a fake server's URL in tests. @defaultValue the provider's public URL */
  readonly baseURL?: string | undefined;
  /** @defaultValue globalThis.fetch */
  readonly fetch?: FetchFunction | undefined;
  /** Time source for polling and Retry-After. @defaultValue systemClock */
  readonly clock?: Clock | undefined;
}

/** Drops trailing slashes so paths can be appended with "/…". */
export function trimBaseURL(url: string): string {
  return url.replace(/\/+$/, "");
}
